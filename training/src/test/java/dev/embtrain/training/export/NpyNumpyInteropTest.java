package dev.embtrain.training.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the {@code .npy} files against NumPy itself where python3 with NumPy is installed;
 * {@link NpyTest} pins the same bytes without it, so this is skipped, not failed, elsewhere.
 */
class NpyNumpyInteropTest {

    @TempDir
    Path dir;

    @Test
    void numpyLoadsOurFileAndWritesTheSameBytes() throws Exception {
        Path ours = dir.resolve("ours.npy");
        Path theirs = dir.resolve("theirs.npy");
        Npy.writeFloat32(ours, new float[][] {{1f, 2.5f, -3f}, {0.1f, 0f, 1e-7f}});
        String script = "import numpy as np, sys\n"
                + "a = np.load(sys.argv[1])\n"
                + "print(a.dtype, a.shape, a.flags['C_CONTIGUOUS'], a.tolist())\n"
                + "np.save(sys.argv[2], a)\n";
        String out = python(script, ours.toString(), theirs.toString());
        assertEquals("float32 (2, 3) True [[1.0, 2.5, -3.0], "
                + "[0.10000000149011612, 0.0, 1.0000000116860974e-07]]", out.strip());
        assertArrayEquals(Files.readAllBytes(ours), Files.readAllBytes(theirs));
        assertArrayEquals(new float[] {0.1f, 0f, 1e-7f}, Npy.readFloat32Matrix(theirs)[1]);
    }

    private static String python(String script, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 3];
        command[0] = "python3";
        command[1] = "-c";
        command[2] = script;
        System.arraycopy(args, 0, command, 3, args.length);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed");
            throw e;
        }
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(done && !out.contains("No module named 'numpy'"), "numpy is not installed");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
