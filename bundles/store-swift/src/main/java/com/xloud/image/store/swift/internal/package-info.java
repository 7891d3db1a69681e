/** The Swift store: images as objects in OpenStack Swift, as Glance's swift driver keeps them. */
package com.xloud.image.store.swift.internal;
