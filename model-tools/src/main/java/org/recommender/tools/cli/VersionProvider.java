package org.recommender.tools.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version written into the jar's manifest at build time. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = ModelTools.class.getPackage().getImplementationVersion();
        return new String[] { "model-tools " + (version == null ? "(development build)" : version) + ", Java " + Runtime.version() };
    }
}
