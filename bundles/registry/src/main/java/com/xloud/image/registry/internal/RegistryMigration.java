package com.xloud.image.registry.internal;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/** A schema migration written in Java: its version (also its checksum), its description, in one transaction. */
abstract class RegistryMigration implements JavaMigration {
    private final int version;
    private final String description;

    RegistryMigration(int version, String description) {
        this.version = version;
        this.description = description;
    }

    @Override
    public final MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(Integer.toString(version));
    }

    @Override
    public final String getDescription() {
        return description;
    }

    @Override
    public final Integer getChecksum() {
        return version;
    }

    @Override
    public final boolean canExecuteInTransaction() {
        return true;
    }
}
