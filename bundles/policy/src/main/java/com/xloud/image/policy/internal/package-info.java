/** The policy check: oslo.policy's check language and Glance's default rules, overridden by an operator's file. */
package com.xloud.image.policy.internal;
