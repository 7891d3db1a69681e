package com.xloud.image.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.rest.cfg}. */
@ObjectClassDefinition(name = "Xloud image API server")
@interface RestConfig {
    @AttributeDefinition(description = "address to listen on")
    String bind_host() default "127.0.0.1";

    @AttributeDefinition(description = "port to listen on")
    int bind_port() default 9292;

    @AttributeDefinition(description = "largest number of request threads")
    int max_threads() default 200;

    @AttributeDefinition(description = "milliseconds a stopping node waits for requests in flight")
    long graceful_stop_ms() default 30000;

    @AttributeDefinition(description = "milliseconds a connection may stay idle")
    long idle_timeout_ms() default 60000;

    @AttributeDefinition(description = "while this file exists /healthcheck answers 503; empty: <data dir>/healthcheck_disable")
    String healthcheck_disable_file() default "";

    @AttributeDefinition(description = "noauth (callers named by X-User-Id, X-Project-Id, X-Roles) or keystone"
            + " (Glance's paste flavor keystone: every request but /, /versions, /healthcheck, /metrics needs a valid"
            + " X-Auth-Token)")
    String auth_mode() default "noauth";

    @AttributeDefinition(description = "Keystone v3 URL tokens are validated at, e.g. http://127.0.0.1:5000/v3"
            + " (Glance: [keystone_authtoken] auth_url)")
    String keystone_auth_url() default "";

    @AttributeDefinition(description = "what 401 answers name in WWW-Authenticate; empty: the auth URL"
            + " (Glance: www_authenticate_uri)")
    String keystone_www_authenticate_uri() default "";

    @AttributeDefinition(description = "this service's Keystone user (it needs the service or admin role)")
    String keystone_username() default "glance";

    @AttributeDefinition(description = "its password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String keystone_password() default "";

    @AttributeDefinition(description = "the project its token is scoped to")
    String keystone_project_name() default "service";

    @AttributeDefinition(description = "the user's domain")
    String keystone_user_domain_name() default "Default";

    @AttributeDefinition(description = "the project's domain")
    String keystone_project_domain_name() default "Default";

    @AttributeDefinition(description = "seconds a validated token is trusted without asking Keystone again (never"
            + " beyond its expiry; a revoked token works until then); Glance: token_cache_time")
    int keystone_token_cache_time() default 300;

    @AttributeDefinition(description = "roles that make an X-Service-Token a service's (Glance: service_token_roles)")
    String keystone_service_token_roles() default "service";

    @AttributeDefinition(description = "an X-Service-Token without one of those roles is refused"
            + " (Glance: service_token_roles_required)")
    boolean keystone_service_token_roles_required() default false;
}
