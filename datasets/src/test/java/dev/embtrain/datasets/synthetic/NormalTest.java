package dev.embtrain.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NormalTest {
    @Test
    void erfMatchesReferenceValues() {
        // Reference values from mpmath at 50 digits, rounded to double.
        assertEquals(0.0, Normal.erf(0.0), 0.0);
        assertEquals(0.1124629160182849, Normal.erf(0.1), 1e-15);
        assertEquals(0.5204998778130465, Normal.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, Normal.erf(1.0), 1e-15);
        assertEquals(0.9953222650189527, Normal.erf(2.0), 1e-15);
        assertEquals(0.9999779095030014, Normal.erf(3.0), 1e-15);
        assertEquals(0.9999999845827421, Normal.erf(4.0), 1e-15);
        assertEquals(-0.8427007929497149, Normal.erf(-1.0), 1e-15);
        assertEquals(1.0, Normal.erf(7.0), 0.0);
    }

    @Test
    void cdfMatchesTheNormalTable() {
        assertEquals(0.5, Normal.cdf(0), 1e-16);
        assertEquals(0.8413447460685429, Normal.cdf(1), 1e-15);
        assertEquals(0.9772498680518208, Normal.cdf(2), 1e-15);
        assertEquals(0.9986501019683699, Normal.cdf(3), 1e-15);
        assertEquals(0.024997895148220435, Normal.cdf(-1.96), 1e-15);
        assertEquals(2.866515718791939e-07, Normal.cdf(-5), 1e-15);
    }
}
