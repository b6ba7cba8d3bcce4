package dev.parley.email;

import java.nio.file.Path;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One attached file of an {@link InboundMail}, spooled in the post's workspace.
 *
 * @param index SendGrid's number for it ({@code attachment3} is 3): the same on every retry of the mail
 * @param fileName the name the sender gave it, unsanitised
 * @param contentType the type the sender declared, if any
 */
record MailAttachment(int index, String fileName, @Nullable String contentType, Path content, long sizeBytes) {}
