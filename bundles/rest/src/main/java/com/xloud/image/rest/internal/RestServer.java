package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.identity.ServiceCatalog;
import com.xloud.image.api.policy.PolicyEnforcer;
import com.xloud.image.api.images.AdminService;
import com.xloud.image.api.images.ImageDataService;
import com.xloud.image.api.images.ImageService;
import com.xloud.image.api.images.ImportService;
import com.xloud.image.api.images.SharingService;
import com.xloud.image.api.rest.RestResource;
import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.jetty.JettyHttpContainer;
import org.glassfish.jersey.jetty.JettyHttpContainerProvider;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import com.xloud.image.api.metrics.MetricsExposition;
import io.micrometer.core.instrument.MeterRegistry;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the Jetty server and the Jersey application. Starts when the image service is there,
 * stops gracefully (requests in flight may finish) when it goes or the node shuts down.
 */
@Component(service = RestServer.class, immediate = true, configurationPid = "com.xloud.image.rest",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RestConfig.class)
public final class RestServer {
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    private final Server server;
    private final RestMetrics metrics = new RestMetrics();
    /** What {@link #application} is made of, kept to make it again when a contributed resource comes or goes. */
    private final ImageService images;
    private final UseCases uses;
    private final Path disable;
    private final BundleContext context;
    private final KeystoneAuth keystone;
    private final java.util.Set<RestResource> contributed = new java.util.LinkedHashSet<>();
    /** The callers' service catalog, offered in Keystone mode (glance-download reads it). */
    private final org.osgi.framework.ServiceRegistration<ServiceCatalog> catalog;
    private ApplicationSwitch container;
    /** The import service, while its bundle runs. */
    private final ImportServiceSlot imports = new ImportServiceSlot();
    /** The image data service, while its bundle runs. */
    private final DataServiceSlot data = new DataServiceSlot();
    /** The policy, while its bundle runs; without it nearly every request is refused (see PolicyPresence). */
    private volatile PolicyEnforcer policy;

    @Activate
    public RestServer(@Reference ImageService images,
                      @Reference SharingService sharing, @Reference AdminService admin, BundleContext context,
                      RestConfig config) throws Exception {
        String dataDir = context.getProperty("xloud.data.dir");
        Path disable = config.healthcheck_disable_file().isBlank()
                ? (dataDir == null ? null : Path.of(dataDir, "healthcheck_disable"))
                : Path.of(config.healthcheck_disable_file());
        this.images = images;
        this.uses = new UseCases(images, data, imports, sharing, admin);
        this.disable = disable;
        this.context = context;
        this.keystone = auth(config);
        this.catalog = keystone == null ? null : context.registerService(ServiceCatalog.class,
                new KeystoneCatalog(keystone.keystone()), null);
        this.server = start(config);
    }

    /** The image data service, while the data bundle runs (its routes answer 503 meanwhile). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setImageDataService(ImageDataService service) {
        data.set(service);
    }

    public void unsetImageDataService(ImageDataService gone) {
        data.unset(gone);
    }

    /** The import service, while the import bundle runs (its routes answer 503 meanwhile). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setImportService(ImportService service) {
        imports.set(service);
    }

    public void unsetImportService(ImportService gone) {
        imports.unset(gone);
    }

    /** A bundle's own routes: served from now on, beside the Image API's. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public synchronized void addResource(RestResource resource) {
        if (contributed.add(resource)) {
            reload();
        }
    }

    public synchronized void removeResource(RestResource resource) {
        if (contributed.remove(resource)) {
            reload();
        }
    }

    /** The new application takes the requests from now on: requests in flight finish on the old one. */
    private void reload() {
        if (container == null) {
            return; // not started (start() builds the application with what is bound by then) or stopped
        }
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ResourceConfig.class.getClassLoader());
        try {
            container.replace(new JettyHttpContainerProvider().createContainer(JettyHttpContainer.class, application()));
            LOG.info("Image API routes reloaded: {} contributed resource(s)", contributed.size());
        } catch (Exception e) {
            LOG.error("Image API routes not reloaded, the previous ones stay: {}", e.toString());
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private ResourceConfig application() {
        ResourceConfig rc = application(uses, disable, context, metrics, keystone, () -> policy);
        contributed.forEach(rc::registerInstances);
        return rc;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPolicy(PolicyEnforcer policy) {
        this.policy = policy;
    }

    public void unsetPolicy(PolicyEnforcer gone) {
        if (policy == gone) {
            policy = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addMeterRegistry(MeterRegistry registry) {
        metrics.add(registry);
    }

    public void removeMeterRegistry(MeterRegistry registry) {
        metrics.remove(registry);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setExposition(MetricsExposition exposition) {
        metrics.exposition(exposition);
    }

    public void unsetExposition(MetricsExposition exposition) {
        if (metrics.exposition() == exposition) {
            metrics.exposition(null);
        }
    }

    /** The five image services, as the resources need them. */
    record UseCases(ImageService images, ImageDataService data, ImportService imports, SharingService sharing,
                    AdminService admin) {
    }

    static ResourceConfig application(UseCases uses, Path healthDisableFile, BundleContext context,
                                      RestMetrics metrics, KeystoneAuth keystone,
                                      java.util.function.Supplier<PolicyEnforcer> policy) {
        // characters beyond U+FFFF go out as the UTF-8 they came in as, not as escaped surrogate pairs
        ObjectMapper json = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
        ResourceConfig rc = new ResourceConfig();
        rc.register(new ObjectMappers(json));
        rc.register(new JsonNodeReader(json));
        rc.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        rc.register(JacksonFeature.class);
        rc.register(new AcceptHeader());
        rc.register(new VersionNegotiation());
        rc.register(new TrailingSlash());
        ImageService images = uses.images();
        rc.register(new RequestIdentity(images.nodeId(), keystone));
        rc.register(new PolicyPresence(policy));
        rc.register(new ErrorBody.Negotiation());
        rc.register(new ImageErrorMapper());
        rc.register(new WebErrorMapper());
        rc.register(new UnexpectedErrorMapper());
        rc.register(metrics);
        rc.registerInstances(new VersionsResource(uses.admin()::cacheEnabled),
                new HealthResource(images, healthDisableFile, () -> policy.get() != null), new SchemasResource(json),
                new ImagesResource(images, uses.data(), uses.imports(), json), new ImageDataResource(uses.data()),
                new MembersResource(uses.sharing(), json), new ImageActionsResource(images),
                new InfoResource(images, uses.data(), uses.imports()),
                new ImportResource(uses.imports(), json, new Forwarder(images.nodeId())),
                new TasksResource(uses.imports(), json), new StoresResource(uses.data()),
                new AuditResource(uses.admin(), json), new HistoryResource(images), new RegistryAdminResource(uses.admin()),
                new LocationsResource(uses.data(), json), new CacheResource(uses.admin()),
                new AdminHealthResource(uses.admin()), new BundlesResource(context));
        return rc;
    }

    private synchronized Server start(RestConfig config) throws Exception {
        // jakarta.ws.rs-api finds its RuntimeDelegate only through the context class loader.
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(ResourceConfig.class.getClassLoader());
        try {
            QueuedThreadPool pool = new QueuedThreadPool(config.max_threads(), Math.min(8, config.max_threads()));
            pool.setName("http");
            Server server = new Server(pool);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            // a tag or member id may hold '%' (PUT /v2/images/{id}/tags/50%25), as in Glance
            http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.DEFAULT.with("glance",
                    org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
            HttpConnectionFactory h1 = new HttpConnectionFactory(http);
            // image bodies stream through here: larger reads mean fewer wake-ups per GiB
            h1.setInputBufferSize(64 * 1024);
            ServerConnector connector = new ServerConnector(server, h1);
            connector.setHost(config.bind_host());
            connector.setPort(config.bind_port());
            connector.setIdleTimeout(config.idle_timeout_ms());
            server.addConnector(connector);
            container = new ApplicationSwitch(new JettyHttpContainerProvider().createContainer(JettyHttpContainer.class,
                    application()));
            server.setHandler(new GracefulHandler(new UnreadBody(new UriCheck(container))));
            server.setErrorHandler(new JsonErrorHandler());
            server.setStopTimeout(config.graceful_stop_ms());
            server.setStopAtShutdown(false);
            ClientDisconnects.install();
            server.start();
            LOG.info("Image API listening on http://{}:{}", config.bind_host(), connector.getLocalPort());
            return server;
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** The Keystone validator of auth.mode = keystone; null for noauth. */
    static KeystoneAuth auth(RestConfig config) {
        return switch (config.auth_mode().strip()) {
            case "noauth" -> null;
            case "keystone" -> new KeystoneAuth(new KeystoneAuth.Settings(config.keystone_auth_url(),
                    config.keystone_www_authenticate_uri(), config.keystone_username(), config.keystone_password(),
                    config.keystone_user_domain_name(), config.keystone_project_name(),
                    config.keystone_project_domain_name(), java.time.Duration.ofSeconds(config.keystone_token_cache_time()),
                    java.util.Arrays.stream(config.keystone_service_token_roles().split(",")).map(String::strip)
                            .filter(r -> !r.isEmpty()).toList(), config.keystone_service_token_roles_required()));
            default -> throw new IllegalArgumentException("auth.mode must be noauth or keystone, not '"
                    + config.auth_mode() + "'");
        };
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Deactivate
    public void stop() throws Exception {
        synchronized (this) {
            container = null; // resources that go while we stop change nothing any more
        }
        LOG.info("Image API stopping; requests in flight may finish");
        server.stop();
        if (catalog != null) {
            catalog.unregister();
        }
        ClientDisconnects.uninstall();
        LOG.info("Image API stopped");
    }
}
