package com.xloud.image.core.internal.aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.xloud.image.api.events.MemberAdded;
import com.xloud.image.api.events.MemberRemoved;
import com.xloud.image.api.events.MemberStatusChanged;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.core.command.AddMember;
import com.xloud.image.core.command.ChangeMemberStatus;
import com.xloud.image.core.command.RemoveMember;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;

/**
 * The projects an image is shared with, and each one's answer (pending, accepted, rejected): a
 * member of the image aggregate with Glance's membership rules.
 */
final class ImageSharing {
    private final ImageAggregate image;
    private final Map<String, String> members = new TreeMap<>();

    ImageSharing(ImageAggregate image) {
        this.image = image;
    }

    @CommandHandler
    void handle(AddMember c) {
        image.requireExists();
        if (!image.visibility().equals("shared")) {
            throw ImageException.forbidden("Only shared images have members.");
        }
        if (members.containsKey(c.memberId())) {
            throw ImageException.conflict("Member " + c.memberId() + " already associated with image " + image.id() + ".");
        }
        if (members.size() + 1 > c.limits().members()) {
            throw new ImageException(ImageException.Kind.TOO_LARGE, "The limit of " + c.limits().members()
                    + " members of an image has been exceeded.");
        }
        apply(new MemberAdded(image.id(), c.origin(), c.memberId()));
    }

    @CommandHandler
    void handle(ChangeMemberStatus c) {
        requireMember(c.memberId());
        if (!List.of("pending", "accepted", "rejected").contains(c.status())) {
            throw ImageException.badRequest("Provided object does not match schema 'member': '" + c.status()
                    + "' is not one of ['pending', 'accepted', 'rejected']");
        }
        if (!c.status().equals(members.get(c.memberId()))) {
            apply(new MemberStatusChanged(image.id(), c.origin(), c.memberId(), c.status()));
        }
    }

    @CommandHandler
    void handle(RemoveMember c) {
        requireMember(c.memberId());
        apply(new MemberRemoved(image.id(), c.origin(), c.memberId()));
    }

    private void requireMember(String memberId) {
        image.requireExists();
        if (!members.containsKey(memberId)) {
            throw new ImageException(ImageException.Kind.NOT_FOUND, "Member " + memberId + " not found for image "
                    + image.id());
        }
    }

    @EventSourcingHandler
    void on(MemberAdded e) {
        members.put(e.memberId(), "pending");
    }

    @EventSourcingHandler
    void on(MemberStatusChanged e) {
        members.put(e.memberId(), e.status());
    }

    @EventSourcingHandler
    void on(MemberRemoved e) {
        members.remove(e.memberId());
    }
}
