/** Disk-format inspection: the {@code UploadFilter} and the format readers behind it. */
package com.xloud.image.inspection.internal;
