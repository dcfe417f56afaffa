package dev.feedplatform.user.account;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.user.UserTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Phone + code login against real Redis and MariaDB, with WireMock as the third-party SMS
 * gateway.
 */
@SpringBootTest(classes = UserTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.code-ttl=2s", "feed.login.resend-after=1s", "feed.login.max-attempts=3",
				"feed.login.sms-timeout=1s" })
class LoginIntegrationTests {

	static final WireMockServer sms = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	static {
		sms.start();
	}

	@DynamicPropertySource
	static void gateway(DynamicPropertyRegistry registry) {
		registry.add("feed.login.sms-gateway", () -> "http://127.0.0.1:" + sms.port());
	}

	@AfterAll
	static void stopGateway() {
		sms.stop();
	}

	@Value("${local.server.port}")
	int port;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		sms.resetAll();
		sms.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(200)));
	}

	@Test
	void sendsTheCodeThroughTheGatewayAndLogsInWithIt() {
		String phone = Users.randomPhone();
		assertThat(this.api.post("/api/auth/code", null, "{\"phone\":\"" + phone + "\"}").status()).isEqualTo(202);
		sms.verify(postRequestedFor(urlEqualTo("/messages")).withRequestBody(matchingJsonPath("$.to", equalTo(phone))));

		Reply login = login(phone, sentCode(phone), "alice");
		assertThat(login.status()).isEqualTo(200);
		assertThat(login.string("$.user.nickname")).isEqualTo("alice");
		String token = login.string("$.token");
		Reply me = this.api.get("/api/users/me", token);
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.string("$.id")).isEqualTo(login.string("$.user.id"));
	}

	@Test
	void secondLoginFindsTheSameAccountAndACodeWorksOnlyOnce() throws Exception {
		String phone = Users.randomPhone();
		this.api.post("/api/auth/code", null, "{\"phone\":\"" + phone + "\"}");
		String code = sentCode(phone);
		Reply first = login(phone, code, "bob");
		assertThat(first.status()).isEqualTo(200);
		assertThat(login(phone, code, "bob").status()).as("a consumed code").isEqualTo(401);

		Thread.sleep(1100); // resend-after
		this.api.post("/api/auth/code", null, "{\"phone\":\"" + phone + "\"}");
		Reply second = login(phone, sentCode(phone), "ignored");
		assertThat(second.string("$.user.id")).isEqualTo(first.string("$.user.id"));
		assertThat(second.string("$.user.nickname")).isEqualTo("bob");
	}

	@Test
	void wrongCodeIsRefusedAndTooManyWrongCodesBurnTheCode() {
		String phone = Users.randomPhone();
		this.api.post("/api/auth/code", null, "{\"phone\":\"" + phone + "\"}");
		String code = sentCode(phone);
		String wrong = code.equals("000000") ? "000001" : "000000";
		Reply reply = login(phone, wrong, null);
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.isProblem()).isTrue();
		login(phone, wrong, null);
		assertThat(login(phone, wrong, null).string("$.detail")).contains("too many");
		assertThat(login(phone, code, null).status()).as("the right code after the limit").isEqualTo(401);
	}

	@Test
	void expiredCodeIsRefused() throws Exception {
		String phone = Users.randomPhone();
		this.api.post("/api/auth/code", null, "{\"phone\":\"" + phone + "\"}");
		String code = sentCode(phone);
		Thread.sleep(2300); // code-ttl is 2s in this context
		Reply reply = login(phone, code, null);
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.string("$.detail")).contains("expired");
	}

	@Test
	void failingGatewayAnswers502AndTheUserMayAskAgainAtOnce() {
		String phone = Users.randomPhone();
		sms.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(503)));
		Reply failed = this.api.post("/api/auth/code", null, "{\"phone\":\"" + phone + "\"}");
		assertThat(failed.status()).isEqualTo(502);
		assertThat(failed.isProblem()).isTrue();

		sms.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(200)));
		assertThat(this.api.post("/api/auth/code", null, "{\"phone\":\"" + phone + "\"}").status()).isEqualTo(202);
		assertThat(login(phone, sentCode(phone), null).status()).isEqualTo(200);
	}

	@Test
	void slowGatewayAnswers502() {
		String phone = Users.randomPhone();
		sms.stubFor(post(urlEqualTo("/messages")).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
		assertThat(this.api.post("/api/auth/code", null, "{\"phone\":\"" + phone + "\"}").status()).isEqualTo(502);
	}

	@Test
	void askingAgainTooSoonIs429() {
		String phone = Users.randomPhone();
		assertThat(this.api.post("/api/auth/code", null, "{\"phone\":\"" + phone + "\"}").status()).isEqualTo(202);
		Reply again = this.api.post("/api/auth/code", null, "{\"phone\":\"" + phone + "\"}");
		assertThat(again.status()).isEqualTo(429);
		assertThat(again.isProblem()).isTrue();
	}

	@Test
	void theDemoCodeIsRefusedOutsideTheDemoProfile() {
		assertThat(login(Users.randomPhone(), Users.DEMO_CODE, null).status()).isEqualTo(401);
	}

	private Reply login(String phone, String code, String nickname) {
		String nick = nickname == null ? "" : ",\"nickname\":\"" + nickname + "\"";
		return this.api.post("/api/auth/login", null,
				"{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\"" + nick + "}");
	}

	/** The code from the last SMS the gateway received for the phone. */
	private static String sentCode(String phone) {
		List<LoggedRequest> sent = sms.findAll(
				postRequestedFor(urlEqualTo("/messages")).withRequestBody(matchingJsonPath("$.to", equalTo(phone))));
		assertThat(sent).isNotEmpty();
		Matcher m = Pattern.compile("code is (\\d{6})").matcher(sent.get(sent.size() - 1).getBodyAsString());
		assertThat(m.find()).isTrue();
		return m.group(1);
	}

}
