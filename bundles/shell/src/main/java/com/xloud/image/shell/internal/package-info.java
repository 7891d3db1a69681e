/**
 * The operator shell: Felix Gogo sessions over a local socket, plus the {@code xloud:} commands.
 */
package com.xloud.image.shell.internal;
