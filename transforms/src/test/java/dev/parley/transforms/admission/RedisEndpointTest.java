package dev.parley.transforms.admission;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.parley.tenant.SecretRef;
import org.junit.Test;

public class RedisEndpointTest {
  @Test
  public void readsHostPortDatabaseAndTls() {
    RedisEndpoint memorystore = RedisEndpoint.of("rediss://10.0.0.3:6378/2", SecretRef.parse("env://REDIS_AUTH"));
    assertEquals("10.0.0.3", memorystore.host());
    assertEquals(6378, memorystore.port());
    assertEquals(2, memorystore.database());
    assertTrue(memorystore.tls());
    RedisEndpoint shorthand = RedisEndpoint.of("127.0.0.1:6399", null);
    assertEquals(6399, shorthand.port());
    assertEquals(0, shorthand.database());
    assertFalse(shorthand.tls());
    assertEquals(RedisEndpoint.DEFAULT_PORT, RedisEndpoint.of("redis://cache", null).port());
  }

  @Test
  public void refusesCredentialsInTheUriWithoutRepeatingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RedisEndpoint.of("redis://:hunter2@10.0.0.3:6379", null));
    assertThat(e.getMessage(), containsString("secret"));
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  public void refusesWhatIsNotARedisAddress() {
    assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.of("http://10.0.0.3:6379", null));
    assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.of("redis://10.0.0.3:6379/cache", null));
    assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.of("redis://10.0.0.3", null).withKeyPrefix("{x}"));
  }
}
