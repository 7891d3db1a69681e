/** Glance's property protections: who may create, read, update and delete which extra property. */
package com.xloud.image.protection.internal;
