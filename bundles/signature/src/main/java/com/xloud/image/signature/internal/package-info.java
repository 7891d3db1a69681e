/** Signature verification: the {@code UploadFilter}, and the folder of certificates as a {@code CertificateSource}. */
package com.xloud.image.signature.internal;
