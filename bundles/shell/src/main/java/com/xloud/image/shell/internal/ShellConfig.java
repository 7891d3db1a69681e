package com.xloud.image.shell.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.shell.cfg}: where the Gogo shell listens. */
@ObjectClassDefinition(name = "Xloud operator shell")
@interface ShellConfig {
    @AttributeDefinition(description = "Unix socket of the shell; its folder is made readable by the node's user only."
            + " Empty: no socket")
    String shell_socket() default "";

    @AttributeDefinition(description = "TCP port on 127.0.0.1 for the shell, 0 for none (any local user can connect:"
            + " prefer the socket)")
    int shell_port() default 0;

    @AttributeDefinition(description = "sessions open at once; more connections are refused with a message")
    int shell_max_sessions() default 4;
}
