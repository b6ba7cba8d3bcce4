package dev.parley.transforms.crm;

import org.checkerframework.checker.nullness.qual.Nullable;

/** A successful push: the CRM's id of the record written, the contact it was linked to, whether it is new. */
public record CrmResult(@Nullable String externalId, @Nullable String contactId, boolean created) {}
