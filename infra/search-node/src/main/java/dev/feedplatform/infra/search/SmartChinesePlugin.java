package dev.feedplatform.infra.search;

import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Registers Lucene's SmartChineseAnalyzer as the {@code smartcn} analyser: the analyser
 * the official analysis-smartcn plugin wraps, which is not published for embedding. It
 * segments Chinese into words (HMM over a bundled dictionary) and lower-cases and stems
 * English, so one analyser serves titles in either language.
 */
public final class SmartChinesePlugin extends Plugin implements AnalysisPlugin {

	@Override
	public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
		return Map.of("smartcn", (indexSettings, environment, name,
				settings) -> new AbstractIndexAnalyzerProvider<SmartChineseAnalyzer>(indexSettings, name, settings) {
					private final SmartChineseAnalyzer analyzer = new SmartChineseAnalyzer();

					@Override
					public SmartChineseAnalyzer get() {
						return analyzer;
					}
				});
	}

}
