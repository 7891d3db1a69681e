/** Certificates of signed images from OpenStack Barbican. */
package com.xloud.image.barbican.internal;
