package org.recommender.tools.train.params;

/**
 * A hyper-parameter value that is not of its type or out of its range. The message names the option as {@code train}
 * spells it ({@code --dims}, {@code -P l2}); {@link #spelledAs} rewords it for a command that spells it otherwise.
 */
public final class HyperParameterException extends IllegalArgumentException {
    private final String parameter;
    private final String problem;

    HyperParameterException(HyperParameter<?> parameter, String problem) {
        super(parameter.option() + " " + problem);
        this.parameter = parameter.name();
        this.problem = problem;
    }

    /** @return the parameter's name, e.g. {@code l2} or {@code dims} */
    public String parameter() {
        return parameter;
    }

    /** @return the message with {@code option} in front instead, e.g. {@code -P neumf.l2 must be in [0, 1] but was -1.0} */
    public String spelledAs(String option) {
        return option + " " + problem;
    }
}
