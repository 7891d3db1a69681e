/** Commands to the image aggregate, imperative and immutable. */
package com.xloud.image.core.internal.command;
