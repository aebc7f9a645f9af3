package io.callbridge;

import org.apache.camel.main.Main;

/** Starts Callbridge: Camel Main with the YAML routes of {@code routes/} and the beans of {@link CallbridgeConfiguration}. */
public final class MyApplication {

    private MyApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("plan")) {
            // stdout carries the plan as JSON; logs go to stderr (read by log4j2.xml)
            System.setProperty("callbridge.log.target", "SYSTEM_ERR");
            System.exit(PlanCommand.run(PlanCommand.rest(args), System.out, System.err));
        }
        try {
            create().run(args);
        } catch (IllegalStateException e) {
            // a misconfiguration: say what to fix, without a stack trace in the operator's face
            System.err.println("Callbridge cannot start: " + e.getMessage());
            System.exit(2);
        }
    }

    public static Main create() {
        // no package scan: it would find CallbridgeConfiguration a second time and configure twice
        Main main = new Main();
        main.configure().addConfiguration(CallbridgeConfiguration.class);
        return main;
    }
}
