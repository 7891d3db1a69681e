package com.xloud.image.imports.internal;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Glance's import URI filtering for web-download ([import_filtering_opts]): a scheme, host and
 * port must each pass its allow list (empty: anything) and miss its deny list. Defaults as Glance:
 * schemes http and https, ports 80 and 443.
 */
final class ImportFilter {
    private final List<String> allowedSchemes;
    private final List<String> disallowedSchemes;
    private final List<String> allowedHosts;
    private final List<String> disallowedHosts;
    private final List<Integer> allowedPorts;
    private final List<Integer> disallowedPorts;

    ImportFilter(List<String> allowedSchemes, List<String> disallowedSchemes, List<String> allowedHosts,
                 List<String> disallowedHosts, List<Integer> allowedPorts, List<Integer> disallowedPorts) {
        this.allowedSchemes = lower(allowedSchemes);
        this.disallowedSchemes = lower(disallowedSchemes);
        this.allowedHosts = lower(allowedHosts);
        this.disallowedHosts = lower(disallowedHosts);
        this.allowedPorts = List.copyOf(allowedPorts);
        this.disallowedPorts = List.copyOf(disallowedPorts);
    }

    static ImportFilter glanceDefaults() {
        return new ImportFilter(List.of("http", "https"), List.of(), List.of(), List.of(), List.of(80, 443), List.of());
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }

    /** Null when the URI passes; else why not. */
    String refusal(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "scheme '" + scheme + "' cannot be downloaded";
        }
        if (!allowedSchemes.isEmpty() && !allowedSchemes.contains(scheme) || disallowedSchemes.contains(scheme)) {
            return "scheme '" + scheme + "' is not allowed";
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            return "the URI names no host";
        }
        if (!allowedHosts.isEmpty() && !allowedHosts.contains(host) || disallowedHosts.contains(host)) {
            return "host '" + host + "' is not allowed";
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (!allowedPorts.isEmpty() && !allowedPorts.contains(port) || disallowedPorts.contains(port)) {
            return "port " + port + " is not allowed";
        }
        return null;
    }
}
