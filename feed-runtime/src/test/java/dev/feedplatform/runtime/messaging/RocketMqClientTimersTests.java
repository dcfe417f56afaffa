package dev.feedplatform.runtime.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.feedplatform.runtime.PlatformDefaults;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client timers reach the JVM properties RocketMQ reads, and a {@code -D} given for
 * one of them is left alone.
 */
class RocketMqClientTimersTests {

	private final Map<String, String> saved = new HashMap<>();

	@BeforeEach
	void save() {
		RocketMqClientTimers.PROPERTIES.values().forEach((property) -> {
			String value = System.getProperty(property);
			if (value != null) {
				this.saved.put(property, value);
			}
			System.clearProperty(property);
		});
	}

	@AfterEach
	void restore() {
		RocketMqClientTimers.PROPERTIES.values().forEach(System::clearProperty);
		this.saved.forEach(System::setProperty);
	}

	@Test
	void copiesEachConfiguredTimerToTheClientsJvmProperty() {
		MockEnvironment environment = new MockEnvironment().withProperty("feed.rocketmq.client.pull-max-idle", "25000")
			.withProperty("feed.rocketmq.client.lock-interval", "5000")
			.withProperty("feed.rocketmq.client.lock-max-live", "12000")
			.withProperty("feed.rocketmq.client.rebalance-interval", "4000");

		new RocketMqClientTimers().postProcessEnvironment(environment, new SpringApplication());

		assertThat(System.getProperty("rocketmq.client.pull.pullMaxIdleTime")).isEqualTo("25000");
		assertThat(System.getProperty("rocketmq.client.rebalance.lockInterval")).isEqualTo("5000");
		assertThat(System.getProperty("rocketmq.client.rebalance.lockMaxLiveTime")).isEqualTo("12000");
		assertThat(System.getProperty("rocketmq.client.rebalance.waitInterval")).isEqualTo("4000");
	}

	@Test
	void aCommandLineValueForTheClientPropertyWins() {
		System.setProperty("rocketmq.client.rebalance.lockMaxLiveTime", "9000");
		MockEnvironment environment = new MockEnvironment().withProperty("feed.rocketmq.client.lock-max-live", "12000");

		new RocketMqClientTimers().postProcessEnvironment(environment, new SpringApplication());

		assertThat(System.getProperty("rocketmq.client.rebalance.lockMaxLiveTime")).isEqualTo("9000");
		assertThat(System.getProperty("rocketmq.client.pull.pullMaxIdleTime")).isNull();
	}

	@Test
	void theDefaultsReachTheClientThroughTheRegisteredPostProcessorsInTheirOrder() {
		List<EnvironmentPostProcessor> processors = SpringFactoriesLoader.forDefaultResourceLocation()
			// Boot's own post-processors need constructor arguments: left out, only ours
			// are under test.
			.load(EnvironmentPostProcessor.class, ArgumentResolver.none(),
					FailureHandler.handleMessage((message, failure) -> {
					}));
		List<String> ours = processors.stream()
			.map((processor) -> processor.getClass().getName())
			.filter((name) -> name.startsWith("dev.feedplatform."))
			.toList();
		assertThat(ours).containsExactly(PlatformDefaults.class.getName(), RocketMqClientTimers.class.getName());

		StandardEnvironment environment = new StandardEnvironment();
		SpringApplication application = new SpringApplication();
		processors.stream()
			.filter((processor) -> processor.getClass().getName().startsWith("dev.feedplatform."))
			.forEach((processor) -> processor.postProcessEnvironment(environment, application));

		assertThat(System.getProperty("rocketmq.client.rebalance.lockMaxLiveTime")).isEqualTo("12000");
		assertThat(System.getProperty("rocketmq.client.rebalance.lockInterval")).isEqualTo("5000");
		assertThat(System.getProperty("rocketmq.client.pull.pullMaxIdleTime")).isEqualTo("25000");
		assertThat(System.getProperty("rocketmq.client.rebalance.waitInterval")).isEqualTo("5000");
	}

}
