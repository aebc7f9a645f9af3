package io.callbridge.crm.rest;

import java.time.Duration;
import java.util.Map;

import io.callbridge.broker.EmbeddedKafkaBroker;
import io.callbridge.support.TestBroker;

/**
 * 500 DESIGN.md example events (2500 commands: call, contact update, deal, owner task, callback task)
 * from 50 known callers into a HubSpot sandbox with HubSpot's default limits, through Callbridge as
 * {@code java -jar} runs it. Prints what HubSpot saw: requests, 429s and their share, throughput. Not a
 * test (it takes about five minutes: HubSpot allows 100 requests per 10 s); run it with
 * <pre>mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.callbridge.crm.rest.HubSpotStreamBenchmark [-Dexec.args="500 design"]</pre>
 * ({@code short} instead of {@code design}: two writes and one lookup per event). See BENCHMARKS.md.
 */
public final class HubSpotStreamBenchmark {

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        boolean design = args.length < 2 || args[1].equals("design");
        EmbeddedKafkaBroker broker = TestBroker.fresh();
        int exit = 0;
        try (HubSpotStream stream = new HubSpotStream(broker, 50, Map.of())) {
            HubSpotStream.Result r = stream.run(events, design ? HubSpotStream::designExample : HubSpotStream::shortCall,
                    Duration.ofMinutes(20));
            int calls = stream.allCalls().size();
            System.out.println("HubSpotStreamBenchmark (" + (design ? "design example" : "short calls") + "): " + r);
            System.out.println("calls in HubSpot: " + calls + " (expected " + events + ")");
            if (r.dead() > 0 || calls != events || r.share429() >= 0.01) {
                System.out.println("FAILED: lost or duplicated events, or 429s at 1 % or more");
                exit = 1;
            }
        } finally {
            broker.close();
        }
        System.exit(exit);
    }
}
