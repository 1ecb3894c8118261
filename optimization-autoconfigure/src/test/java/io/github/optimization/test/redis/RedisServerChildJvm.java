package io.github.optimization.test.redis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A program for the orphan-safety test: run in a child JVM, it starts a harness, prints
 * {@code READY <port> <pid>}, then obeys lines on its standard input ({@code freeze}
 * prints {@code FROZEN}) until end of file. The test SIGKILLs this JVM and checks that
 * its server dies with it.
 */
public final class RedisServerChildJvm {

	private RedisServerChildJvm() {
	}

	/**
	 * Starts the harness and serves commands from standard input.
	 * @param args unused
	 * @throws Exception if the harness fails to start
	 */
	public static void main(String[] args) throws Exception {
		RedisServerExtension redis = new RedisServerExtension();
		redis.start();
		System.out.println("READY " + redis.port() + " " + redis.pid());
		System.out.flush();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			if (line.equals("freeze")) {
				redis.freeze();
				System.out.println("FROZEN");
				System.out.flush();
			}
		}
		redis.close();
	}

}
