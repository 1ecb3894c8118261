package io.github.optimization.test.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A minimal RESP client on a plain socket, with no pooling, no reconnection and no client
 * library in between: the harness uses it to see whether a server answers at all, tests
 * use it to send exactly the bytes they mean.
 *
 * <p>
 * Contract: {@link #command(String...)} sends one command and returns its reply rendered
 * as text: a simple string as is ({@code "PONG"}, {@code "OK"}), an error with its
 * leading {@code '-'} ({@code "-NOAUTH Authentication required."}), an integer as digits,
 * a bulk string as its content, a null as {@code null}. Arrays are not supported. Every
 * read is bounded by the socket timeout given at {@link #open(String, int, Duration)}.
 */
final class RespProbe implements AutoCloseable {

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	private RespProbe(Socket socket) throws IOException {
		this.socket = socket;
		this.out = socket.getOutputStream();
		this.in = new BufferedInputStream(socket.getInputStream());
	}

	/**
	 * Connects to {@code host:port}.
	 * @param timeout bounds the connect and every later read
	 * @throws IOException if the connection fails (e.g. {@link java.net.ConnectException}
	 * when nothing listens on the port)
	 */
	static RespProbe open(String host, int port, Duration timeout) throws IOException {
		Socket socket = new Socket();
		try {
			int millis = Math.toIntExact(timeout.toMillis());
			socket.connect(new InetSocketAddress(host, port), millis);
			socket.setSoTimeout(millis);
			return new RespProbe(socket);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Sends one command and reads its reply (see the class contract for the rendering).
	 * @throws IOException on a socket error, a timeout or a reply that is not understood
	 */
	String command(String... arguments) throws IOException {
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		writeAscii(request, "*" + arguments.length + "\r\n");
		for (String argument : arguments) {
			byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
			writeAscii(request, "$" + bytes.length + "\r\n");
			request.write(bytes);
			writeAscii(request, "\r\n");
		}
		out.write(request.toByteArray());
		out.flush();
		return readReply();
	}

	private String readReply() throws IOException {
		String line = readLine();
		if (line.isEmpty()) {
			throw new IOException("empty RESP reply");
		}
		char type = line.charAt(0);
		String rest = line.substring(1);
		switch (type) {
			case '+':
			case ':':
				return rest;
			case '-':
				return line;
			case '$': {
				int length = Integer.parseInt(rest);
				if (length < 0) {
					return null;
				}
				byte[] content = in.readNBytes(length);
				if (content.length != length) {
					throw new EOFException("bulk reply cut short");
				}
				readLine();
				return new String(content, StandardCharsets.UTF_8);
			}
			default:
				throw new IOException("unsupported RESP reply: " + line);
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int next = in.read();
			if (next < 0) {
				throw new EOFException("connection closed by the server");
			}
			if (previous == '\r' && next == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(next);
			previous = next;
		}
	}

	private static void writeAscii(ByteArrayOutputStream target, String text) {
		target.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

}
