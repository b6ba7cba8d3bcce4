package dev.parley.transforms.crm;

import dev.parley.model.CallRecord;
import dev.parley.tenant.SecretUnavailableException;
import dev.parley.tenant.TenantConfig;

/**
 * One CRM's wire protocol. A push is one attempt, which may take several requests (find the contact, write the
 * record); it must be safe to repeat, since the caller retries it and a call may be delivered again: the record
 * is written by an upsert keyed by the call id.
 */
public interface CrmClient {
  CrmResult push(TenantConfig tenant, CallRecord call, CallBudget budget)
      throws CrmException, SecretUnavailableException, InterruptedException;

  /** What a failing endpoint is known by: the tenant's CRM account, or its webhook URL. */
  String endpointKey(TenantConfig tenant);
}
