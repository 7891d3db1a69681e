package com.xloud.image.shell.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Felix Gogo shell for operators, reachable only from this machine: on a Unix socket in a
 * folder only the node's user may enter, and optionally on a TCP port bound to 127.0.0.1. Each
 * connection is one Gogo session: it reads a command per line and answers with the command's
 * output (or {@code error: …}) followed by the prompt {@value #PROMPT}; {@code exit} or the end
 * of input closes it.
 */
@Component(service = ShellServer.class, configurationPid = "com.xloud.image.shell",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = ShellConfig.class)
public final class ShellServer {
    static final String PROMPT = "g! ";
    private static final Logger LOG = LoggerFactory.getLogger(ShellServer.class);

    private final CommandProcessor processor;
    private final Semaphore sessions;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private Path socket;

    @Activate
    public ShellServer(@Reference CommandProcessor processor, ShellConfig config) throws IOException {
        this.processor = processor;
        this.sessions = new Semaphore(Math.max(1, config.shell_max_sessions()));
        try {
            if (!config.shell_socket().isBlank()) {
                socket = Path.of(config.shell_socket()).toAbsolutePath();
                listen(unixSocket(socket), "unix socket " + socket);
            }
            if (config.shell_port() > 0) {
                ServerSocketChannel tcp = ServerSocketChannel.open();
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.shell_port()));
                listen(tcp, "127.0.0.1:" + config.shell_port());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The socket in its own folder, open to the node's user only (a socket file's mode is not portable). */
    private static ServerSocketChannel unixSocket(Path path) throws IOException {
        Path folder = path.getParent();
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(path); // left by a node that was killed
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        return server;
    }

    private void listen(ServerSocketChannel server, String where) {
        listeners.add(server);
        Thread acceptor = new Thread(() -> accept(server), "shell-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("operator shell (Felix Gogo) on {}", where);
    }

    private void accept(ServerSocketChannel server) {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                if (!sessions.tryAcquire()) {
                    try (client; PrintStream out = print(client)) {
                        out.println("error: too many shell sessions are open");
                    }
                    continue;
                }
                open.add(client);
                Thread t = new Thread(() -> {
                    try {
                        session(client);
                    } finally {
                        open.remove(client);
                        sessions.release();
                    }
                }, "shell-session");
                t.setDaemon(true);
                t.start();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("shell: accepting a connection failed: {}", e.getMessage());
            }
        }
    }

    private static PrintStream print(SocketChannel client) {
        return new PrintStream(Channels.newOutputStream(client), true, StandardCharsets.UTF_8);
    }

    /** One Gogo session: a command per line, its output, the prompt again. */
    private void session(SocketChannel client) {
        try (client; PrintStream out = print(client);
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                     StandardCharsets.UTF_8))) {
            CommandSession session = processor.createSession(java.io.InputStream.nullInputStream(), out, out);
            try {
                out.print(PROMPT);
                out.flush();
                for (String line; (line = in.readLine()) != null; ) {
                    line = line.strip();
                    if (line.equals("exit") || line.equals("quit")) {
                        break;
                    }
                    if (!line.isEmpty()) {
                        run(session, line, out);
                    }
                    out.print(PROMPT);
                    out.flush();
                }
            } finally {
                session.close();
            }
        } catch (IOException e) {
            LOG.debug("shell session ended: {}", e.getMessage());
        }
    }

    private static void run(CommandSession session, String line, PrintStream out) {
        try {
            Object result = session.execute(line);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            out.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        out.flush();
    }

    @Deactivate
    public void close() {
        for (ServerSocketChannel l : listeners) {
            try {
                l.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (SocketChannel c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (socket != null) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.warn("shell socket {} not removed: {}", socket, e.getMessage());
            }
        }
    }
}
