package dev.feedplatform.user;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The user module over real HTTP with the demo login code and a big-account threshold of
 * 3, so promotion is reachable in a test. One annotation keeps one cached context for all
 * such classes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = UserTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", "feed.big-account-threshold=3", "feed.max-following=60" })
public @interface DemoLoginTest {

}
