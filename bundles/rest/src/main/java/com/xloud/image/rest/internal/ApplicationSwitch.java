package com.xloud.image.rest.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.glassfish.jersey.jetty.JettyHttpContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jersey application in use, replaced whole when a bundle brings or takes routes. Jersey's own
 * reload shuts the running application down before the new one is built, and a request that comes
 * in between fails. Here the new application is built and started beside the old one, requests go
 * to it from then on, and the old one is stopped once the last request it was serving is done.
 */
final class ApplicationSwitch extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationSwitch.class);

    /** One application and the requests it is serving. */
    private static final class Live {
        final JettyHttpContainer container;
        final AtomicInteger serving = new AtomicInteger();
        final AtomicBoolean retired = new AtomicBoolean();
        final AtomicBoolean stopped = new AtomicBoolean();

        Live(JettyHttpContainer container) {
            this.container = container;
        }

        void stopWhenIdle() {
            if (retired.get() && serving.get() == 0 && stopped.compareAndSet(false, true)) {
                try {
                    container.stop();
                } catch (Exception e) {
                    LOG.warn("the replaced Image API application did not stop cleanly: {}", e.toString());
                }
            }
        }
    }

    private volatile Live live;

    ApplicationSwitch(JettyHttpContainer first) {
        this.live = new Live(first);
        addBean(first, true);
    }

    /** Starts {@code next}, sends every new request to it, and stops the one it replaces when that is idle. */
    void replace(JettyHttpContainer next) throws Exception {
        next.setServer(getServer());
        next.start();
        Live old;
        synchronized (this) {
            old = live;
            live = new Live(next);
        }
        removeBean(old.container);
        old.retired.set(true);
        old.stopWhenIdle();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Live l = live;
        l.serving.incrementAndGet();
        boolean handled = false;
        try {
            handled = l.container.handle(request, response, new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    try {
                        super.succeeded();
                    } finally {
                        done(l);
                    }
                }

                @Override
                public void failed(Throwable x) {
                    try {
                        super.failed(x);
                    } finally {
                        done(l);
                    }
                }
            });
            return handled;
        } finally {
            if (!handled) {
                done(l);
            }
        }
    }

    private static void done(Live l) {
        l.serving.decrementAndGet();
        l.stopWhenIdle();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        Live l = live;
        if (l.stopped.compareAndSet(false, true) && l.container.isRunning()) {
            l.container.stop();
        }
    }
}
