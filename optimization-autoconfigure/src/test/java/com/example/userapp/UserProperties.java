package com.example.userapp;

import java.time.Duration;

/**
 * Properties of an application's own, outside the starter's packages: unknown keys under
 * their prefix are Spring Boot's business, not the starter's failure analyzer's.
 */
public class UserProperties {

	private Duration ttl;

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

}
