package dev.embtrain.training.cli;

public final class Main {
    public static void main(String[] args) {
        ai.djl.engine.Engine e = ai.djl.engine.Engine.getInstance();
        System.out.println(e.getEngineName() + " " + e.getVersion());
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            System.out.println(m.arange(5f).sum());
        }
    }
}
