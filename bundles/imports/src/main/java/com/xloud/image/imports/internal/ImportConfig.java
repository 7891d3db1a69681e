package com.xloud.image.imports.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The import settings in {@code etc/com.xloud.image.core.cfg} (the image service's configuration,
 * read by this bundle too). Lists are comma-separated strings.
 */
@ObjectClassDefinition(name = "Xloud image import")
@interface ImportConfig {
    @AttributeDefinition(description = "import methods offered, of glance-direct, web-download, copy-image and"
            + " glance-download (which needs Keystone) (Glance: enabled_import_methods)")
    String enabled_import_methods() default "glance-direct,web-download,copy-image";

    @AttributeDefinition(description = "glance-download: prefixes of the extra properties the image takes over"
            + " from its source; never os_glance (Glance: [glance_download_properties] extra_properties)")
    String glance_download_properties() default "hw_,trait:,os_distro,os_secure_boot,os_type";

    @AttributeDefinition(description = "staging area for glance-direct, web-download and glance-download;"
            + " empty: <data dir>/staging")
    String staging_dir() default "";

    @AttributeDefinition(description = "import tasks that may run at once on this node")
    int import_workers() default 4;

    @AttributeDefinition(description = "web-download: schemes allowed (empty: any of http, https)")
    String import_allowed_schemes() default "http,https";

    @AttributeDefinition(description = "web-download: schemes refused")
    String import_disallowed_schemes() default "";

    @AttributeDefinition(description = "web-download: hosts allowed (empty: any)")
    String import_allowed_hosts() default "";

    @AttributeDefinition(description = "web-download: hosts refused")
    String import_disallowed_hosts() default "";

    @AttributeDefinition(description = "web-download: ports allowed (empty: any)")
    String import_allowed_ports() default "80,443";

    @AttributeDefinition(description = "web-download: ports refused")
    String import_disallowed_ports() default "";

    @AttributeDefinition(description = "web-download: seconds without a byte before the transfer is cut")
    int web_download_stall_seconds() default 60;

    @AttributeDefinition(description = "seconds an upload, staging or import may go without progress; the staging"
            + " area is swept of data no image waits for every five of them")
    long transfer_stall_seconds() default 60;
}
