package org.yapdns.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Starts one real OpenSearch 2.19 node inside this JVM, for YAPDNS's integration tests.
 *
 * <p>Why embedded: the OpenSearch distribution tarball is not on Maven Central and this
 * project may use no Docker and no download other than package registries, but the server
 * jar and the modules it needs are. The distribution's modules are loaded here as classpath
 * plugins, exactly as OpenSearch's own integration-test framework does, through the
 * protected {@link Node} constructor that takes plugin classes.
 *
 * <p>What differs from a packaged node, on purpose: no bootstrap checks (they are run by
 * {@code Bootstrap}, not by {@code Node}, and would fail on a developer machine with a
 * small heap), no security manager, no security plugin (plain HTTP, no authentication), disk
 * watermarks off (a nearly full disk must not turn test indices read-only), single-node
 * discovery, everything bound to 127.0.0.1 only.
 *
 * <p>Usage: {@code OpenSearchNode --home DIR [--http-port N] [--port-file FILE]
 * [--cluster-name NAME] [--exit-with-parent]}. {@code --http-port 0} (the default) lets
 * the kernel pick a free port; the port actually bound is written to {@code --port-file}
 * (atomically, after the node has started) and printed on stdout as
 * {@code YAPDNS_OPENSEARCH_READY http://127.0.0.1:PORT}. SIGTERM / SIGINT close the node
 * cleanly (flushes and releases the data directory lock) before the JVM exits.
 */
public final class OpenSearchNode {

    /** The distribution modules the YAPDNS Elasticsearch store relies on. */
    private static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,          // HTTP + transport (module transport-netty4)
        PainlessPlugin.class,        // scripted upserts (module lang-painless)
        ReindexPlugin.class,         // _delete_by_query for retention (module reindex)
        CommonAnalysisPlugin.class   // lowercase normalizer etc. (module analysis-common)
    );

    /** Opens {@link Node}'s protected constructor, which accepts classpath plugins. */
    private static final class EmbeddedNode extends Node {
        EmbeddedNode(Environment environment) {
            super(environment, PLUGINS, true);
        }
    }

    private OpenSearchNode() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        int httpPort = 0;
        Path portFile = null;
        String clusterName = "yapdns-test";
        boolean exitWithParent = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Paths.get(value(args, ++i));
                case "--http-port" -> httpPort = Integer.parseInt(value(args, ++i));
                case "--port-file" -> portFile = Paths.get(value(args, ++i));
                case "--cluster-name" -> clusterName = value(args, ++i);
                case "--exit-with-parent" -> exitWithParent = true;
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (home == null) {
            usage("--home DIR is required");
        }
        if (httpPort < 0 || httpPort > 65535) {
            usage("--http-port must be 0..65535");
        }
        home = home.toAbsolutePath();
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));

        Settings settings = Settings.builder()
            .put("cluster.name", clusterName)
            .put("node.name", "yapdns-test-node")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", Integer.toString(httpPort))
            .put("transport.port", "0")
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            .put("discovery.type", "single-node")
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            .build();

        configureLogging();

        Environment environment =
            InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), null, () -> "yapdns-test-node");
        Node node = new EmbeddedNode(environment);

        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                node.close();
                if (!node.awaitClose(30, TimeUnit.SECONDS)) {
                    System.err.println("YAPDNS_OPENSEARCH: node did not close within 30 s");
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("YAPDNS_OPENSEARCH: error while closing: " + e);
            } finally {
                closed.countDown();
            }
        }, "yapdns-opensearch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            node.start();
        } catch (Throwable t) {
            // e.g. the HTTP port is taken: say why, exit non-zero (the hook closes the node)
            System.err.println("YAPDNS_OPENSEARCH: node failed to start:");
            t.printStackTrace();
            System.exit(1);
        }

        int port = node.injector().getInstance(HttpServerTransport.class)
            .boundAddress().publishAddress().getPort();
        if (portFile != null) {
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, port + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("YAPDNS_OPENSEARCH_READY http://127.0.0.1:" + port);
        System.out.flush();

        if (exitWithParent) {
            watchParent();
        }
        // The node's own threads keep running; the main thread waits for the shutdown hook.
        closed.await();
    }

    /**
     * Logs INFO and above to stdout in the distribution's layout. Without this, log4j's
     * default configuration shows only errors and a failed start would be hard to read.
     * (OpenSearch's LogConfigurator would want a log4j2.properties in a config directory.)
     */
    private static void configureLogging() {
        LogConfigurator.registerErrorListener();
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setStatusLevel(Level.ERROR);
        b.setConfigurationName("yapdns-opensearch-node");
        b.add(b.newAppender("console", "Console")
            .addAttribute("target", ConsoleAppender.Target.SYSTEM_OUT)
            .add(b.newLayout("PatternLayout").addAttribute("pattern", "[%d{ISO8601}][%-5p][%-25c{1.}] %m%n")));
        b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("console")));
        Configurator.reconfigure(b.build());
    }

    /**
     * Exits (running the shutdown hook) when the process that started us is gone, so a
     * test script killed with SIGKILL does not leave a node behind.
     */
    private static void watchParent() {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null) {
            return;
        }
        Thread watcher = new Thread(() -> {
            while (parent.isAlive()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("YAPDNS_OPENSEARCH: parent process " + parent.pid() + " is gone, shutting down");
            System.exit(0);
        }, "yapdns-opensearch-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String message) {
        System.err.println("OpenSearchNode: " + message);
        System.err.println("usage: OpenSearchNode --home DIR [--http-port N] [--port-file FILE]"
            + " [--cluster-name NAME] [--exit-with-parent]");
        System.exit(2);
    }
}
