package dev.parley.email;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sendgrid.helpers.eventwebhook.EventWebhook;
import com.sendgrid.helpers.eventwebhook.EventWebhookHeader;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The stand-in signs as SendGrid does: SendGrid's own Java helper accepts its signatures and headers, so a
 * gateway that accepts the stand-in's posts verifies what SendGrid sends.
 */
public class SendGridStandInTest {
  @BeforeClass
  public static void registerBouncyCastle() {
    Security.addProvider(new BouncyCastleProvider()); // sendgrid-java asks for the "BC" provider by name.
  }

  @Test
  public void sendGridsOwnHelperVerifiesTheStandInsSignatures() throws Exception {
    SendGridStandIn sendGrid = new SendGridStandIn(null);
    byte[] body = ParseMail.to("recordings@acme.parley.example").attach("vm.wav", "audio/wav", TestAudio.wav(0.2, 1))
        .post().body();
    Map<String, String> headers = sendGrid.headers(body, Instant.now());
    EventWebhook helper = new EventWebhook();
    ECPublicKey key = helper.ConvertPublicKeyToECDSA(sendGrid.verificationKey());

    String signature = headers.get(EventWebhookHeader.SIGNATURE.toString());
    String timestamp = headers.get(EventWebhookHeader.TIMESTAMP.toString());
    assertTrue(helper.VerifySignature(key, body, signature, timestamp));

    body[body.length / 2] ^= 1;
    assertFalse("a changed body fails", helper.VerifySignature(key, body, signature, timestamp));
  }
}
