package dev.embtrain.training.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Turns {@code training.device} into the devices to train on, refusing a GPU that is not there. */
public final class Devices {

    private Devices() {}

    /**
     * Resolves a device choice.
     *
     * @param choice {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
     * @param gpuCount how many CUDA GPUs the engine sees
     * @return the devices; {@code auto} gives every GPU, or the CPU when there is none
     * @throws IllegalArgumentException saying what to do when the GPU asked for is absent
     */
    public static Device[] resolve(String choice, int gpuCount) {
        if (choice.equals("cpu")) {
            return new Device[] {Device.cpu()};
        }
        if (choice.equals("auto")) {
            if (gpuCount == 0) {
                return new Device[] {Device.cpu()};
            }
            Device[] all = new Device[gpuCount];
            for (int i = 0; i < gpuCount; i++) {
                all[i] = Device.gpu(i);
            }
            return all;
        }
        int index = choice.equals("gpu") ? 0 : Integer.parseInt(choice.substring(4));
        if (gpuCount == 0) {
            throw new IllegalArgumentException(choice
                    + " was asked for, but the PyTorch engine sees no CUDA GPU (this build has CPU natives,"
                    + " or no driver is present); use device: auto or cpu, or see docs/serving.md on GPUs");
        }
        if (index >= gpuCount) {
            throw new IllegalArgumentException(choice + " was asked for, but the engine sees "
                    + gpuCount + " GPU(s), gpu:0 to gpu:" + (gpuCount - 1));
        }
        return new Device[] {Device.gpu(index)};
    }

    /**
     * Resolves a device choice against the engine's GPUs.
     *
     * @param choice the choice
     * @return the devices
     */
    public static Device[] resolve(String choice) {
        return resolve(choice, Engine.getInstance().getGpuCount());
    }
}
