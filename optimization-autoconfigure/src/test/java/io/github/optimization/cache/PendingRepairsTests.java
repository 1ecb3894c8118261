package io.github.optimization.cache;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a cache remembers of the changes that did not reach Redis, and how a repair
 * forgets them: only once Redis and this instance were repaired, never a mark that raced
 * the repair.
 */
class PendingRepairsTests {

	private final PendingRepairs repairs = new PendingRepairs(2);

	private final FakeRedis redis = new FakeRedis();

	private final List<String> repaired = new ArrayList<>();

	private final PendingRepairs.Repaired onRepaired = new PendingRepairs.Repaired() {
		@Override
		public void keyRepaired(Object key) {
			PendingRepairsTests.this.repaired.add("key " + key);
		}

		@Override
		public void cacheCleared() {
			PendingRepairsTests.this.repaired.add("cleared");
		}
	};

	@Test
	void coversNothingUntilAChangeFails() {
		assertThat(this.repairs.isEmpty()).isTrue();
		assertThat(this.repairs.covers("a")).isFalse();
		assertThat(this.repairs.repair(this.redis, this.onRepaired)).isTrue();
		assertThat(this.redis.calls).isEmpty();
	}

	@Test
	void coversTheKeysWhoseChangeFailedUntilTheyAreDeletedInRedis() {
		this.repairs.keyChangeFailed("a");
		assertThat(this.repairs.covers("a")).isTrue();
		assertThat(this.repairs.covers("b")).isFalse();
		assertThat(this.repairs.repair(this.redis, this.onRepaired)).isTrue();
		assertThat(this.redis.calls).containsExactly("del a");
		assertThat(this.repaired).containsExactly("key a");
		assertThat(this.repairs.covers("a")).isFalse();
		assertThat(this.repairs.isEmpty()).isTrue();
	}

	@Test
	void pastItsLimitCoversEveryKeyUntilTheCacheIsClearedInRedis() {
		this.repairs.keyChangeFailed("a");
		this.repairs.keyChangeFailed("b");
		this.repairs.keyChangeFailed("c");
		assertThat(this.repairs.covers("z")).isTrue();
		assertThat(this.repairs.repair(this.redis, this.onRepaired)).isTrue();
		assertThat(this.redis.calls).containsExactly("clear");
		assertThat(this.repaired).containsExactly("cleared");
		assertThat(this.repairs.covers("a")).isFalse();
		assertThat(this.repairs.covers("z")).isFalse();
	}

	@Test
	void aFailedRepairKeepsWhatItCouldNotDo() {
		this.repairs.keyChangeFailed("a");
		this.redis.failing = true;
		assertThat(this.repairs.repair(this.redis, this.onRepaired)).isFalse();
		assertThat(this.repaired).isEmpty();
		assertThat(this.repairs.covers("a")).isTrue();
		this.redis.failing = false;
		assertThat(this.repairs.repair(this.redis, this.onRepaired)).isTrue();
		assertThat(this.repairs.covers("a")).isFalse();
	}

	@Test
	void aKeyMarkedAgainWhileItsRepairRunsStaysCovered() {
		this.repairs.keyChangeFailed("a");
		// The key's change fails again after the repair deleted it but before it forgets
		// it.
		this.redis.onDelete = () -> this.repairs.keyChangeFailed("a");
		assertThat(this.repairs.repair(this.redis, this.onRepaired)).isFalse();
		assertThat(this.repairs.covers("a")).isTrue();
		this.redis.onDelete = () -> {
		};
		assertThat(this.repairs.repair(this.redis, this.onRepaired)).isTrue();
		assertThat(this.repairs.covers("a")).isFalse();
	}

	@Test
	void aClearFailingWhileAClearRunsIsDoneAgain() {
		this.repairs.clearFailed();
		this.redis.onClear = this.repairs::clearFailed;
		assertThat(this.repairs.repair(this.redis, this.onRepaired)).isFalse();
		assertThat(this.repairs.covers("a")).isTrue();
		this.redis.onClear = () -> {
		};
		assertThat(this.repairs.repair(this.redis, this.onRepaired)).isTrue();
		assertThat(this.redis.calls).containsExactly("clear", "clear");
		assertThat(this.repairs.isEmpty()).isTrue();
	}

	private static final class FakeRedis implements PendingRepairs.Redis {

		final List<String> calls = new ArrayList<>();

		boolean failing;

		Runnable onDelete = () -> {
		};

		Runnable onClear = () -> {
		};

		@Override
		public boolean delete(Object key) {
			if (this.failing) {
				return false;
			}
			this.calls.add("del " + key);
			this.onDelete.run();
			return true;
		}

		@Override
		public boolean clear() {
			if (this.failing) {
				return false;
			}
			this.calls.add("clear");
			this.onClear.run();
			return true;
		}

	}

}
