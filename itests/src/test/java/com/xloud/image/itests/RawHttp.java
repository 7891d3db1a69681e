package com.xloud.image.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Requests written byte by byte on a socket: what a well-behaved client never sends (a body cut
 * short, a length that lies, broken chunking, a body in many small pieces) and what the JDK's client
 * refuses to send.
 */
final class RawHttp {
    /** The first answer on the connection; status -1 when the server closed it without one. */
    record Answer(int status, String head, String body) {
    }

    private RawHttp() {
    }

    /**
     * Writes {@code pieces} one after the other (flushing each), then half-closes the connection
     * when {@code endInput} (the client has nothing more to say), and reads the first answer.
     */
    static Answer send(int port, List<byte[]> pieces, boolean endInput) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            try {
                for (byte[] piece : pieces) {
                    out.write(piece);
                    out.flush();
                }
                if (endInput) {
                    s.shutdownOutput();
                }
            } catch (IOException e) {
                // the server may answer and close before the whole (broken) request is written
            }
            return read(s.getInputStream());
        }
    }

    static Answer send(int port, String head, byte[] body, boolean endInput) throws IOException {
        return send(port, List.of(head.getBytes(StandardCharsets.UTF_8), body), endInput);
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int headEnd = -1;
        long contentLength = -1;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
                String text = got.toString(StandardCharsets.ISO_8859_1);
                if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
                    contentLength = header(text.substring(0, headEnd), "content-length");
                }
                if (headEnd >= 0 && contentLength >= 0 && got.size() >= headEnd + 4 + contentLength) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 30 s; got so far: " + got.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // a reset after the answer: keep what arrived
        }
        String text = got.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Answer(-1, text, "");
        }
        return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
    }

    private static long header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return -1;
    }
}
