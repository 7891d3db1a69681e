package com.xloud.image.registry.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One class loader over several bundles' loaders. Axon discovers its handler SPI
 * (ParameterResolverFactory, HandlerDefinition, HandlerEnhancerDefinition) with ServiceLoader on a
 * single loader; in OSGi each Axon module is its own bundle, so we hand Axon their union.
 */
public final class UnionClassLoader extends ClassLoader {
    private final List<ClassLoader> delegates;

    public UnionClassLoader(ClassLoader... delegates) {
        super(null);
        this.delegates = List.copyOf(new LinkedHashSet<>(List.of(delegates)));
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader cl : delegates) {
            try {
                return cl.loadClass(name);
            } catch (ClassNotFoundException e) {
                // try the next bundle
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        for (ClassLoader cl : delegates) {
            URL url = cl.getResource(name);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        LinkedHashSet<URL> all = new LinkedHashSet<>();
        for (ClassLoader cl : delegates) {
            all.addAll(Collections.list(cl.getResources(name)));
        }
        return Collections.enumeration(new ArrayList<>(all));
    }
}
