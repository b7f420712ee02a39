package org.recommender.tools.train;

import java.util.Map;

/** The hyper-parameters of one configured algorithm, as one record built from its declarations. */
public interface TrainerConfig {
    /** @return the hyper-parameters by name, as recorded in manifests and reports */
    Map<String, Object> asMap();
}
