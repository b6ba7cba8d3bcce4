package dev.parley.email;

import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which tenants a mail belongs to, by tenant config: each envelope recipient belongs to the tenant whose
 * {@code inboundEmail} claims it (at most one, the loader makes sure), and that tenant must allow the sender.
 */
final class MailRouter {
  /** One tenant's copy of the mail, by the first of its recipients. */
  record Delivery(TenantConfig tenant, String recipient) {}

  /** A recipient the mail is not delivered to, and why. */
  record Dropped(String recipient, Refusal reason) {}

  record Routing(List<Delivery> deliveries, List<Dropped> dropped) {
    /** Why nothing is delivered: a sender refused by a tenant says more than recipients nobody claims. */
    Refusal refusal() {
      return dropped.stream().map(Dropped::reason).filter(r -> r == Refusal.SENDER_NOT_ALLOWED).findFirst()
          .orElse(Refusal.UNKNOWN_RECIPIENT);
    }
  }

  Routing route(TenantRegistry registry, InboundMail mail) {
    Map<String, Delivery> deliveries = new LinkedHashMap<>();
    List<Dropped> dropped = new ArrayList<>();
    for (String recipient : mail.recipients()) {
      Optional<TenantConfig> owner = registry.ownerOfRecipient(recipient);
      if (owner.isEmpty()) {
        dropped.add(new Dropped(recipient, Refusal.UNKNOWN_RECIPIENT));
      } else if (!owner.get().inboundEmail().allowsSender(mail.sender())) {
        dropped.add(new Dropped(recipient, Refusal.SENDER_NOT_ALLOWED));
      } else {
        deliveries.putIfAbsent(owner.get().id(), new Delivery(owner.get(), recipient));
      }
    }
    return new Routing(List.copyOf(deliveries.values()), dropped);
  }
}
