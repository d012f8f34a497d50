package dev.hackablemail.onemail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hackablemail.schema.payload.Direction;
import dev.hackablemail.schema.payload.PayloadValidator;

import dev.hackablemail.schema.xtp.ContentType;
import dev.hackablemail.schema.xtp.FunctionDecl;
import dev.hackablemail.schema.xtp.Schema;
import dev.hackablemail.schema.xtp.SchemaParser;
import dev.hackablemail.schema.xtp.TypeSchema;
import dev.hackablemail.schema.xtp.XtpType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnEmailSchemaTest {

    @Test
    void theFileInTheSchemaFolderValidatesClean() throws Exception {
        assertThat(SchemaParser.read(Path.of("../schema/on-email.yaml")).problems()).isEmpty();
    }

    @Test
    void theClasspathCopyIsTheFileInTheSchemaFolder() throws Exception {
        assertThat(OnEmailSchema.yaml()).isEqualTo(Files.readString(Path.of("../schema/on-email.yaml")));
    }

    @Test
    void declaresTheOnEmailExport() {
        Schema schema = OnEmailSchema.load();
        FunctionDecl onEmail = schema.export(OnEmailSchema.ON_EMAIL).orElseThrow();

        assertThat(schema.exports()).containsOnlyKeys("onEmail");
        assertThat(onEmail.input().contentType()).isEqualTo(ContentType.JSON);
        assertThat(onEmail.input().type().ref()).isEqualTo(OnEmailSchema.INCOMING_EMAIL);
        assertThat(onEmail.output().contentType()).isEqualTo(ContentType.JSON);
        assertThat(onEmail.output().type().type()).isEqualTo(XtpType.INTEGER);
        assertThat(onEmail.description()).contains("bounce");
    }

    @Test
    void declaresDeliverAndReplyWithTheAtMostOnceRule() {
        Schema schema = OnEmailSchema.load();
        FunctionDecl deliver = schema.hostFunction(OnEmailSchema.DELIVER).orElseThrow();
        FunctionDecl reply = schema.hostFunction(OnEmailSchema.REPLY).orElseThrow();

        assertThat(schema.imports()).containsOnlyKeys("deliver", "reply");
        assertThat(deliver.input().type().ref()).isEqualTo("IncomingEmail");
        assertThat(reply.input().type().ref()).isEqualTo("ReplyEmail");
        for (FunctionDecl f : new FunctionDecl[] {deliver, reply}) {
            assertThat(f.output().type().type()).isEqualTo(XtpType.INTEGER);
            assertThat(f.description()).contains("at most once").contains("second call fails");
        }
        assertThat(reply.description()).contains("To the original sender").contains("From");
    }

    @Test
    void describesTheMailTypes() {
        Schema schema = OnEmailSchema.load();
        TypeSchema incoming = schema.types().get(OnEmailSchema.INCOMING_EMAIL);
        TypeSchema reply = schema.types().get(OnEmailSchema.REPLY_EMAIL);

        assertThat(incoming.properties().keySet()).containsExactly("sender", "receiver", "headers", "body");
        assertThat(incoming.required()).containsExactlyInAnyOrder("sender", "receiver", "headers", "body");
        TypeSchema headers = incoming.properties().get("headers");
        assertThat(headers.type()).isEqualTo(XtpType.OBJECT);
        assertThat(headers.additionalProperties().type()).isEqualTo(XtpType.STRING);
        assertThat(headers.description()).contains("RFC 2047").contains("\", \"").contains("Subject");
        assertThat(reply.properties().keySet()).containsExactly("subject", "body");
        assertThat(reply.required()).containsExactlyInAnyOrder("subject", "body");
    }

    @Test
    void loadIsParsedOnce() {
        assertThat(OnEmailSchema.load()).isSameAs(OnEmailSchema.load());
    }

    @Test
    void theJavaRecordsSerializeToPayloadsThatPass() throws Exception {
        ObjectMapper json = new ObjectMapper();
        IncomingEmail mail = new IncomingEmail("a@example.com", "b@example.com", Map.of("Subject", "hi"), "body");
        byte[] reply = json.writeValueAsBytes(new ReplyEmail("RE: hi", "no"));

        assertThat(PayloadValidator.validate(OnEmailSchema.load(), OnEmailSchema.ON_EMAIL, Direction.INPUT,
                json.writeValueAsBytes(mail))).isEmpty();
        assertThat(PayloadValidator.validate(OnEmailSchema.load(), OnEmailSchema.REPLY, Direction.INPUT, reply))
                .isEmpty();
    }
}
