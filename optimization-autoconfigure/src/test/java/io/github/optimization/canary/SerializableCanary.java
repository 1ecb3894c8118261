package io.github.optimization.canary;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * A serializable class whose {@code readObject} records that it ran: proof that bytes
 * were handed to an {@link ObjectInputStream}. Only tests write it (with an
 * ObjectOutputStream).
 */
public class SerializableCanary implements Serializable {

	private static final long serialVersionUID = 1L;

	private final String payload;

	public SerializableCanary(String payload) {
		this.payload = payload;
	}

	public String payload() {
		return this.payload;
	}

	private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
		CanaryFlags.READ_OBJECT_CALLED.add(SerializableCanary.class.getName());
		in.defaultReadObject();
	}

}
