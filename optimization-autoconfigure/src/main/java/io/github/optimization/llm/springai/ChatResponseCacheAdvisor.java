package io.github.optimization.llm.springai;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.type.TypeFactory;
import io.github.optimization.cache.LoadOptions;
import io.github.optimization.cache.TieredCache;
import io.github.optimization.llm.LlmCacheControl;
import io.github.optimization.llm.LlmCacheMode;
import io.github.optimization.llm.LlmCallRecorder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring AI ChatClient advisor that caches chat responses, keyed on the full prompt
 * ({@link ChatPromptKey}), and records calls, tokens and cost like
 * {@code @CachedLlmResponse} does. Honours {@link LlmCacheControl}.
 *
 * <p>
 * What is cached is a {@link CachedChatResponse} snapshot; a hit returns a rebuilt
 * {@link ChatResponse} carrying the original usage and the metadata key
 * {@value CachedChatResponse#CACHE_HIT_KEY}. Responses that the snapshot cannot keep
 * (media output) are returned but not cached, and so are calls whose prompt has no
 * canonical key (logged once). Streaming calls pass through uncached and uncounted.
 *
 * <p>
 * On a {@link TieredCache}, concurrent identical calls in one JVM call the model once.
 * Exceptions of the model reach the caller unchanged. Thread-safe.
 */
public final class ChatResponseCacheAdvisor implements CallAdvisor, StreamAdvisor {

	private static final Log logger = LogFactory.getLog(ChatResponseCacheAdvisor.class);

	private final Supplier<CacheManager> cacheManager;

	private final String cacheName;

	private final Supplier<LlmCallRecorder> recorder;

	private final int order;

	private final LoadOptions storeOptions;

	private final LoadOptions noStoreOptions;

	private volatile Cache cache;

	private volatile boolean warnedNoCache;

	private volatile boolean warnedKey;

	/**
	 * Create an advisor.
	 * @param cacheManager supplies the cache manager on first use; may supply
	 * {@code null} (calls then pass through, counted)
	 * @param cacheName the cache to use
	 * @param ttl the time to live of stored responses, or {@code null} for the cache's
	 * @param recorder supplies the recorder of calls; may supply {@code null}
	 * @param order the advisor's order in the ChatClient's chain (lower runs first)
	 */
	public ChatResponseCacheAdvisor(Supplier<CacheManager> cacheManager, String cacheName, Duration ttl,
			Supplier<LlmCallRecorder> recorder, int order) {
		this.cacheManager = cacheManager;
		this.cacheName = cacheName;
		this.recorder = recorder;
		this.order = order;
		var type = TypeFactory.defaultInstance().constructType(CachedChatResponse.class);
		this.storeOptions = new LoadOptions(ttl, type, Objects::nonNull);
		this.noStoreOptions = new LoadOptions(ttl, type, LoadOptions.STORE_NOTHING);
	}

	@Override
	public String getName() {
		return "optimization.llm.ChatResponseCacheAdvisor";
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
		LlmCacheMode mode = LlmCacheControl.current();
		Cache cache = (mode != LlmCacheMode.BYPASS) ? cache() : null;
		String key = (cache != null) ? key(request) : null;
		if (key == null) {
			ChatClientResponse response = chain.nextCall(request);
			record(response.chatResponse(), true);
			return response;
		}
		Load load = new Load(chain, request);
		CachedChatResponse snapshot;
		if (mode == LlmCacheMode.REFRESH) {
			snapshot = load.call();
			if (snapshot != null) {
				put(cache, key, snapshot);
			}
		}
		else {
			boolean store = mode != LlmCacheMode.NO_STORE;
			try {
				if (cache instanceof TieredCache tiered) {
					snapshot = (CachedChatResponse) tiered.getOrLoad(key, load,
							store ? this.storeOptions : this.noStoreOptions);
				}
				else {
					Cache.ValueWrapper hit = cache.get(key);
					snapshot = (hit != null) ? (CachedChatResponse) hit.get() : load.call();
					if (hit == null && store && snapshot != null) {
						put(cache, key, snapshot);
					}
				}
			}
			catch (Cache.ValueRetrievalException ex) {
				if (ex.getCause() instanceof RuntimeException runtime) {
					throw runtime;
				}
				throw ex;
			}
		}
		if (snapshot == null && !load.hasAnswered()) {
			// Nothing usable was cached: ask the model.
			snapshot = load.call();
		}
		ChatClientResponse live = load.finish();
		ChatClientResponse response = (live != null) ? live
				: ChatClientResponse.builder()
					.chatResponse(snapshot.toChatResponse())
					.context(request.context())
					.build();
		record(response.chatResponse(), live != null);
		return response;
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		return chain.nextStream(request);
	}

	private void put(Cache cache, String key, CachedChatResponse snapshot) {
		if (cache instanceof TieredCache tiered) {
			tiered.put(key, snapshot, this.storeOptions);
		}
		else {
			cache.put(key, snapshot);
		}
	}

	private String key(ChatClientRequest request) {
		try {
			return ChatPromptKey.of(request.prompt());
		}
		catch (RuntimeException ex) {
			if (!this.warnedKey) {
				this.warnedKey = true;
				logger.warn("A ChatClient call is not cached because its prompt has no canonical key (logged once): "
						+ ex.getMessage());
			}
			return null;
		}
	}

	private void recordBackground(ChatResponse response) {
		try {
			LlmCallRecorder recorder = this.recorder.get();
			if (recorder != null) {
				recorder.recordBackgroundCall(response, null);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record a background ChatClient call", ex);
		}
	}

	private void record(ChatResponse response, boolean providerCalled) {
		try {
			LlmCallRecorder recorder = this.recorder.get();
			if (recorder != null) {
				recorder.record(response, null, providerCalled);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not record a ChatClient call", ex);
		}
	}

	private Cache cache() {
		Cache cache = this.cache;
		if (cache == null) {
			CacheManager manager = this.cacheManager.get();
			cache = (manager != null) ? manager.getCache(this.cacheName) : null;
			if (cache == null) {
				if (!this.warnedNoCache) {
					this.warnedNoCache = true;
					logger.warn("ChatClient responses are not cached: "
							+ ((manager == null) ? "there is no CacheManager bean (or several without a @Primary one)"
									: "there is no cache named '" + this.cacheName + "'"));
				}
				return null;
			}
			this.cache = cache;
		}
		return cache;
	}

	/**
	 * Calls the rest of the chain once, keeping the live response for the caller while it
	 * waits. A call that finishes after the caller was answered (a background refresh of
	 * a stale entry, which runs the rest of the chain the caller never ran) is recorded
	 * as spent on its own.
	 */
	private final class Load implements java.util.concurrent.Callable<CachedChatResponse> {

		private final CallAdvisorChain chain;

		private final ChatClientRequest request;

		/** Guarded by this. */
		private ChatClientResponse response;

		/** Guarded by this. */
		private boolean returned;

		Load(CallAdvisorChain chain, ChatClientRequest request) {
			this.chain = chain;
			this.request = request;
		}

		@Override
		public CachedChatResponse call() {
			ChatClientResponse live = this.chain.nextCall(this.request);
			CachedChatResponse snapshot = CachedChatResponse.of(live.chatResponse());
			boolean background;
			synchronized (this) {
				background = this.returned;
				if (!background) {
					this.response = live;
				}
			}
			if (background) {
				recordBackground(live.chatResponse());
			}
			return snapshot;
		}

		synchronized boolean hasAnswered() {
			return this.response != null;
		}

		/** The caller is answered: the live response if the model answered this call. */
		synchronized ChatClientResponse finish() {
			this.returned = true;
			return this.response;
		}

	}

}
