package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.images.ImageMember;
import com.xloud.image.api.images.SharingService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v2/images/{id}/members}: sharing an image with other projects. */
@Path("/v2/images/{id}/members")
@Produces(MediaType.APPLICATION_JSON)
public final class MembersResource {
    private final SharingService images;
    private final JsonBodies bodies;

    MembersResource(SharingService images, ObjectMapper json) {
        this.images = images;
        this.bodies = new JsonBodies(json);
    }

    @GET
    public Map<String, Object> list(@Context ContainerRequestContext req, @PathParam("id") String id) {
        List<Map<String, Object>> members = images.members(RequestIdentity.of(req), id).stream().map(MembersResource::json).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("members", members);
        body.put("schema", "/v2/schemas/members");
        return body;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> add(@Context ContainerRequestContext req, @PathParam("id") String id, InputStream body)
            throws IOException {
        return json(images.addMember(RequestIdentity.of(req), id, bodies.string(body, "member")));
    }

    @GET
    @Path("{member}")
    public Map<String, Object> show(@Context ContainerRequestContext req, @PathParam("id") String id,
                                    @PathParam("member") String member) {
        return json(images.member(RequestIdentity.of(req), id, member));
    }

    @PUT
    @Path("{member}")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> update(@Context ContainerRequestContext req, @PathParam("id") String id,
                                      @PathParam("member") String member, InputStream body) throws IOException {
        return json(images.updateMember(RequestIdentity.of(req), id, member, bodies.string(body, "status")));
    }

    @DELETE
    @Path("{member}")
    public Response remove(@Context ContainerRequestContext req, @PathParam("id") String id,
                           @PathParam("member") String member) {
        images.removeMember(RequestIdentity.of(req), id, member);
        return Response.noContent().build();
    }

    static Map<String, Object> json(ImageMember m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("member_id", m.memberId());
        out.put("image_id", m.imageId());
        out.put("status", m.status());
        out.put("created_at", ImageJson.time(m.createdAt()));
        out.put("updated_at", ImageJson.time(m.updatedAt()));
        out.put("schema", "/v2/schemas/member");
        return out;
    }
}
