package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.hawser.events.EventProperties;
import io.hawser.events.Topics;
import io.hawser.frontend.CommandException;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class EventsCommandTest {

    private static Event exit(String id) {
        return new Event(Topics.TASK_EXIT, Map.of(EventProperties.ID, id, EventProperties.TIMESTAMP, 1_700_000_000_123L,
                EventProperties.EXIT_STATUS, 0, EventProperties.CONTAINER_ID, id, "event.topics", Topics.TASK_EXIT));
    }

    @Test
    void aLineIsTimeTopicAndSortedPropertiesWithoutEventAdminsOwn() {
        assertEquals("2023-11-14T22:13:20.123Z hawser/tasks/exit hawser.container.id=abc hawser.exit.status=0 hawser.id=abc",
                EventsCommand.line(exit("abc")));
    }

    @Test
    void filtersByTopicOrFamilyAndByIdPrefix() throws CommandException {
        Event create = new Event(Topics.CONTAINER_CREATE, Map.of(EventProperties.ID, "def"));

        EventsCommand.Filter tasks = EventsCommand.Filter.parse(List.of("topic=hawser/tasks/*"));
        EventsCommand.Filter byId = EventsCommand.Filter.parse(List.of("id=ab"));
        EventsCommand.Filter everything = EventsCommand.Filter.parse(List.of());

        assertTrue(tasks.accepts(exit("abc")));
        assertFalse(tasks.accepts(create));
        assertTrue(byId.accepts(exit("abc")));
        assertFalse(byId.accepts(create));
        assertTrue(everything.accepts(create));
    }

    @Test
    void anUnknownFilterIsAUsageError() {
        var e = assertThrows(CommandException.class, () -> EventsCommand.Filter.parse(List.of("image=busybox")));

        assertEquals(CommandException.USAGE, e.status());
    }
}
