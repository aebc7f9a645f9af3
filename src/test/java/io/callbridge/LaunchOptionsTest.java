package io.callbridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap is sized where Callbridge is launched, not left to the machine: the README's first command and the image
 * both read {@code jvm.options}, and a JVM started with it gets a bounded heap.
 */
class LaunchOptionsTest {

    @Test
    void theReadmeAndTheImageLaunchWithTheOptionsFile() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("java @jvm.options -Dcamel.main.profile=dev -jar target/callbridge.jar");
        // the image is Jib's (pom.xml); ImageTarballIT checks the built image's entrypoint and the jvm.options it holds
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<entrypoint>${image.java.home}/bin/java,@jvm.options,-jar,callbridge.jar</entrypoint>")
                .contains("<includes>jvm.options,");
    }

    @Test
    void aJvmStartedWithTheOptionsHasABoundedHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "@jvm.options", "-XX:+PrintFlagsFinal", "-version"))
                .redirectErrorStream(true).start();
        String flags = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(flags).isZero();
        Matcher max = Pattern.compile("size_t MaxHeapSize\\s+=\\s+(\\d+)").matcher(flags);
        assertThat(max.find()).as(flags).isTrue();
        assertThat(Long.parseLong(max.group(1))).as("MaxHeapSize").isLessThanOrEqualTo(384L * 1024 * 1024);
        assertThat(flags).containsPattern("bool UseSerialGC\\s+= true");
    }
}
