/**
 * The file store: images as files in one directory, written to a temporary file, synced and renamed
 * into place. Depends on the api bundle's store SPI only.
 */
package com.xloud.image.store.file.internal;
