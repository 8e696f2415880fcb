package dev.embtrain.training.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void autoTakesEveryGpuOrTheCpu() {
        assertArrayEquals(new Device[] {Device.cpu()}, Devices.resolve("auto", 0));
        assertArrayEquals(new Device[] {Device.gpu(0), Device.gpu(1)}, Devices.resolve("auto", 2));
        assertArrayEquals(new Device[] {Device.cpu()}, Devices.resolve("cpu", 2));
        assertArrayEquals(new Device[] {Device.gpu(1)}, Devices.resolve("gpu:1", 2));
    }

    @Test
    void aMissingGpuSaysWhatToDo() {
        assertEquals("gpu was asked for, but the PyTorch engine sees no CUDA GPU (this build has CPU natives,"
                        + " or no driver is present); use device: auto or cpu, or see docs/serving.md on GPUs",
                assertThrows(IllegalArgumentException.class, () -> Devices.resolve("gpu", 0)).getMessage());
        assertEquals("gpu:2 was asked for, but the engine sees 2 GPU(s), gpu:0 to gpu:1",
                assertThrows(IllegalArgumentException.class, () -> Devices.resolve("gpu:2", 2)).getMessage());
    }
}
