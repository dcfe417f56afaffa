package dev.feedplatform.user;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The user module on its own, as its integration tests run it. */
@SpringBootApplication
public class UserTestApplication {

}
