package helpline.localdb;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;

/**
 * Helpline's local MongoDB-compatible server (development and tests), on 127.0.0.1 only.
 *
 * <pre>java -cp ... helpline.localdb.LocalMongoServer [--port N] [--ignore-stdin] (--memory | --h2 FILE)</pre>
 *
 * Prints one line {@code READY mongodb://127.0.0.1:PORT/} once it listens. It exits when its standard input
 * reaches end of file (the parent process went away, however it died; {@code --ignore-stdin} turns that off)
 * or on SIGTERM; the H2 file is committed and closed either way.
 */
public final class LocalMongoServer {

    private LocalMongoServer() {
    }

    public static void main(String[] args) {
        int port = 0;
        String h2File = null;
        boolean memory = false;
        boolean watchStdin = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(argument(args, ++i, "--port"));
                case "--h2" -> h2File = argument(args, ++i, "--h2");
                case "--memory" -> memory = true;
                case "--ignore-stdin" -> watchStdin = false;
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (memory == (h2File != null)) {
            usage("give exactly one of --memory and --h2 FILE");
        }

        MongoBackend backend = memory ? FixedBackends.memory() : FixedBackends.h2(h2File);
        MongoServer server = new MongoServer(backend.version(ServerVersion.MONGO_5_0));
        server.bind(new InetSocketAddress("127.0.0.1", port));
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "shutdown"));

        InetSocketAddress address = server.getLocalAddress();
        System.out.println("READY mongodb://127.0.0.1:" + address.getPort() + "/");
        System.out.flush();

        if (watchStdin) {
            waitForEndOfInput(System.in);
            System.exit(0); // runs the shutdown hook
        }
    }

    private static void waitForEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent writes nothing; it only holds the pipe open while it lives
            }
        } catch (IOException e) {
            // a broken pipe means the same: the parent is gone
        }
    }

    private static String argument(String[] args, int index, String name) {
        if (index >= args.length) {
            usage(name + " needs a value");
        }
        return args[index];
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: LocalMongoServer [--port N] [--ignore-stdin] (--memory | --h2 FILE)");
        System.exit(2);
    }
}
