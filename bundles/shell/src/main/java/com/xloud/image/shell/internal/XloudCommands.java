package com.xloud.image.shell.internal;

import com.xloud.image.api.policy.PolicyEnforcer;
import com.xloud.image.api.policy.PropertyProtection;
import com.xloud.image.api.store.ImageStore;
import com.xloud.image.api.upload.UploadFilter;
import com.xloud.image.api.store.StoreHealth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Shell commands of our own: {@code xloud:stores} (the live stores, their health and the bundle
 * behind each) and {@code xloud:services} (every live service of the Xloud SPI packages, by
 * interface, with its bundle; then each concern a bundle of its own serves, and its state).
 */
@Component(service = XloudCommands.class, property = {"osgi.command.scope=xloud",
        "osgi.command.function=stores", "osgi.command.function=services"})
public final class XloudCommands {
    private static final String SPI = "com.xloud.image.api.";

    private final BundleContext context;

    @Activate
    public XloudCommands(BundleContext context) {
        this.context = context;
    }

    @Descriptor("the live image stores: id, type, flags, weight, health, bundle")
    public String stores() throws InvalidSyntaxException {
        Collection<ServiceReference<ImageStore>> refs = context.getServiceReferences(ImageStore.class, null);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "TYPE", "FLAGS", "WEIGHT", "HEALTH", "BUNDLE"});
        refs.stream().sorted(Comparator.comparing(r -> String.valueOf(r.getProperty(ImageStore.PROP_ID))))
                .forEach(r -> rows.add(new String[] {
                        String.valueOf(r.getProperty(ImageStore.PROP_ID)),
                        String.valueOf(r.getProperty(ImageStore.PROP_TYPE)),
                        flags(r),
                        String.valueOf(r.getProperty(ImageStore.PROP_WEIGHT) == null ? 0
                                : r.getProperty(ImageStore.PROP_WEIGHT)),
                        health(r),
                        name(r.getBundle())}));
        return table(rows) + refs.size() + " store(s)";
    }

    private static String flags(ServiceReference<ImageStore> r) {
        List<String> f = new ArrayList<>();
        if (Boolean.parseBoolean(String.valueOf(r.getProperty(ImageStore.PROP_DEFAULT)))) {
            f.add("default");
        }
        if (Boolean.parseBoolean(String.valueOf(r.getProperty(ImageStore.PROP_READONLY)))) {
            f.add("read-only");
        }
        return f.isEmpty() ? "-" : String.join(",", f);
    }

    private String health(ServiceReference<ImageStore> r) {
        ImageStore store = context.getService(r);
        if (store == null) {
            return "gone";
        }
        try {
            StoreHealth h = store.health();
            return (h.available() ? "up" : "DOWN") + " (" + h.detail() + ")";
        } catch (RuntimeException e) {
            return "DOWN (" + e.getMessage() + ")";
        } finally {
            context.ungetService(r);
        }
    }

    @Descriptor("every live service of the Xloud SPI (stores and what later add-ons provide), by interface")
    public String services() throws InvalidSyntaxException {
        Map<String, List<String>> byInterface = new TreeMap<>();
        ServiceReference<?>[] all = context.getAllServiceReferences(null, null);
        for (ServiceReference<?> r : all == null ? new ServiceReference<?>[0] : all) {
            for (String type : (String[]) r.getProperty("objectClass")) {
                if (type.startsWith(SPI)) {
                    Object id = r.getProperty(ImageStore.PROP_ID);
                    byInterface.computeIfAbsent(type, k -> new ArrayList<>()).add("  "
                            + (id == null ? "service " + r.getProperty("service.id") : id) + "  from " + name(r.getBundle()));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        byInterface.forEach((type, lines) -> {
            out.append(type).append('\n');
            lines.stream().sorted().forEach(l -> out.append(l).append('\n'));
        });
        if (out.length() == 0) {
            out.append("no Xloud SPI service is live\n");
        }
        out.append("concerns\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  CONCERN", "BUNDLE", "STATE"});
        rows.add(concern("policy", "com.xloud.image.policy", first(PolicyEnforcer.class, null), "absent"));
        rows.add(concern("property protection", "com.xloud.image.protection", first(PropertyProtection.class, null),
                protectionConfigured() ? "absent" : "not configured"));
        rows.add(concern("inspection", "com.xloud.image.inspection", first(UploadFilter.class, "inspection"),
                "absent"));
        rows.add(concern("signature", "com.xloud.image.signature", first(UploadFilter.class, "signature"), "absent"));
        return (out + table(rows)).stripTrailing();
    }

    private String[] concern(String name, String bundle, ServiceReference<?> served, String otherwise) {
        return served == null ? new String[] {"  " + name, bundle, otherwise}
                : new String[] {"  " + name, name(served.getBundle()), "running"};
    }

    /** The first live service of {@code type} (an upload filter: of that name). */
    private <T> ServiceReference<T> first(Class<T> type, String filterName) throws InvalidSyntaxException {
        for (ServiceReference<T> r : context.getServiceReferences(type, null)) {
            if (filterName == null) {
                return r;
            }
            T service = context.getService(r);
            try {
                if (service instanceof UploadFilter f && filterName.equals(f.name())) {
                    return r;
                }
            } finally {
                if (service != null) {
                    context.ungetService(r);
                }
            }
        }
        return null;
    }

    private boolean protectionConfigured() {
        ServiceReference<org.osgi.service.cm.ConfigurationAdmin> r =
                context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class);
        org.osgi.service.cm.ConfigurationAdmin admin = r == null ? null : context.getService(r);
        if (admin == null) {
            return false;
        }
        try {
            return admin.listConfigurations("(service.pid=com.xloud.image.protection)") != null;
        } catch (java.io.IOException | InvalidSyntaxException e) {
            return true;
        } finally {
            context.ungetService(r);
        }
    }

    private static String name(Bundle b) {
        return b == null ? "-" : b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "]";
    }

    private static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
