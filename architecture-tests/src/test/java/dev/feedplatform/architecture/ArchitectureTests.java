package dev.feedplatform.architecture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.feedplatform.common.keys.RedisKeys;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Fences that keep the module map of ARCHITECTURE.md true: the kernel does no I/O and
 * knows no module, and feature modules never compile against one another; they meet
 * through feed-common (events, keys), feed-runtime (shared adapters), RocketMQ and stores
 * one module owns.
 */
class ArchitectureTests {

	static JavaClasses classes;

	static final String[] FEATURE_MODULES = { "user", "publish", "timeline", "detailaggregator", "counterserver",
			"searchsync", "liveroombridge", "economy" };

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.feedplatform");
	}

	@Test
	void theKernelDoesNoIo() {
		ArchRule rule = noClasses().that()
			.resideInAPackage("dev.feedplatform.common..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("java.io..", "java.net..", "java.nio.file..", "java.sql..", "javax.sql..",
					"org.springframework..", "io.lettuce..", "org.apache.rocketmq..", "jakarta.servlet..",
					"org.mariadb..")
			.because("feed-common is the small shared kernel: ids, events, errors, keys (ARCHITECTURE.md)");
		rule.check(classes);
	}

	@Test
	void theKernelDependsOnNoModule() {
		noClasses().that()
			.resideInAPackage("dev.feedplatform.common..")
			.should()
			.dependOnClassesThat()
			.resideOutsideOfPackages("dev.feedplatform.common..", "java..", "javax.crypto..",
					"com.fasterxml.jackson.annotation..")
			.check(classes);
	}

	@Test
	void theRuntimeKnowsNoFeatureModule() {
		for (String module : FEATURE_MODULES) {
			noClasses().that()
				.resideInAPackage("dev.feedplatform.runtime..")
				.should()
				.dependOnClassesThat()
				.resideInAPackage("dev.feedplatform." + module + "..")
				.check(classes);
		}
	}

	/**
	 * Issue 20: a Redis key family is built only by the module that owns it (the key
	 * builders in {@code RedisKeys} are the only way to a key). Key builder → the
	 * packages ({@code ..}) or the one class that may call it, with no exception (the
	 * timeline reads outboxes through the {@code OutboxReads} port). A reader's inbox has
	 * one owner class, the timeline's {@code HomeInbox} (its keys, its scripts, the floor
	 * and cap rule); fan-out, retraction and core-fan records write through the
	 * {@code HomeInboxes} port. The benchmarks, which seed keys directly, are exempt.
	 */
	static final Map<String, List<String>> KEY_OWNERS = Map.ofEntries(
			Map.entry("inbox", List.of("dev.feedplatform.timeline.home.HomeInbox")),
			Map.entry("inboxFloor", List.of("dev.feedplatform.timeline.home.HomeInbox")),
			Map.entry("inboxCore", List.of("dev.feedplatform.timeline.home.HomeInbox")),
			Map.entry("outbox", List.of("dev.feedplatform.publish..")),
			Map.entry("outboxFloor", List.of("dev.feedplatform.publish..")),
			Map.entry("bigLatest", List.of("dev.feedplatform.publish..")),
			Map.entry("coreFans", List.of("dev.feedplatform.publish..")),
			Map.entry("coreFansFresh", List.of("dev.feedplatform.publish..")),
			Map.entry("coreFansLock", List.of("dev.feedplatform.publish..")),
			Map.entry("following", List.of("dev.feedplatform.user..")),
			Map.entry("bigAccounts", List.of("dev.feedplatform.user..")),
			Map.entry("bigAccountsVersion", List.of("dev.feedplatform.user..")),
			Map.entry("lastActive", List.of("dev.feedplatform.user..")),
			Map.entry("userCacheGeneration", List.of("dev.feedplatform.user..", "dev.feedplatform.runtime.cache..")),
			Map.entry("postCounts", List.of("dev.feedplatform.counterserver..")),
			Map.entry("countersReconcileLock", List.of("dev.feedplatform.counterserver..")),
			Map.entry("countersReconcileCursor", List.of("dev.feedplatform.counterserver..")),
			Map.entry("blacklist", List.of("dev.feedplatform.publish.store..")),
			Map.entry("postDetail", List.of("dev.feedplatform.detailaggregator..")),
			Map.entry("roomPresence", List.of("dev.feedplatform.liveroombridge..")),
			Map.entry("searchSyncLease", List.of("dev.feedplatform.searchsync..")));

	@Test
	void onlyTheOwningModuleBuildsItsKeys() {
		List<String> trespasses = new ArrayList<>();
		KEY_OWNERS.forEach((builder, owners) -> {
			List<String> allowed = new ArrayList<>(owners);
			allowed.add("dev.feedplatform.bench..");
			DescribedPredicate<JavaClass> owner = DescribedPredicate.describe("an owner of " + builder,
					(JavaClass type) -> allowed.stream()
						.anyMatch((name) -> name.endsWith("..") ? inPackage(type, name.substring(0, name.length() - 2))
								: type.getName().equals(name)));
			EvaluationResult result = noClasses().that(DescribedPredicate.not(owner))
				.should()
				.callMethodWhere(DescribedPredicate.describe("RedisKeys." + builder,
						call -> call.getTargetOwner().isEquivalentTo(RedisKeys.class)
								&& call.getName().equals(builder)))
				.because("a key family has one owning module (issue 20)")
				.evaluate(classes);
			if (result.hasViolation()) {
				trespasses.add(result.getFailureReport().toString());
			}
		});
		assertThat(trespasses).as("keys built outside their owning module").isEmpty();
	}

	/**
	 * Issue 20: inside a module, feature packages depend on each other one way only (the
	 * first level below the module: {@code publish.post}, {@code publish.fanout}, ...),
	 * so each can be read, tested and moved on its own. The runtime's packages too.
	 */
	@Test
	void noPackageCyclesInsideAnyModule() {
		List<String> modules = new ArrayList<>(List.of(FEATURE_MODULES));
		modules.add("runtime");
		List<String> cycles = new ArrayList<>();
		for (String module : modules) {
			EvaluationResult result = slices().matching("dev.feedplatform." + module + ".(*)..")
				.should()
				.beFreeOfCycles()
				.allowEmptyShould(true)
				.because("a module's feature packages form a hierarchy (issue 20)")
				.evaluate(classes);
			if (result.hasViolation()) {
				cycles.add(module + ": " + result.getFailureReport());
			}
		}
		assertThat(cycles).as("package cycles").isEmpty();
	}

	@Test
	void featureModulesStayOffEachOthersInternals() {
		for (String module : FEATURE_MODULES) {
			for (String other : FEATURE_MODULES) {
				if (!module.equals(other)) {
					noClasses().that()
						.resideInAPackage("dev.feedplatform." + module + "..")
						.should()
						.dependOnClassesThat()
						.resideInAPackage("dev.feedplatform." + other + "..")
						.allowEmptyShould(true)
						.check(classes);
				}
			}
		}
	}

	/** The package or one below it, as ArchUnit's {@code "pkg.."} means. */
	private static boolean inPackage(JavaClass type, String pkg) {
		return type.getPackageName().equals(pkg) || type.getPackageName().startsWith(pkg + ".");
	}

}
