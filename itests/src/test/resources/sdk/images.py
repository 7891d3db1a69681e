"""openstacksdk against a node in no-auth mode: every image call a tool built on the SDK makes.

Usage: images.py URL WORKDIR. Exits 0 when every step did what the SDK's documentation says;
otherwise prints the step and the error and exits 1. The caller is the anonymous admin, or a
project named by the X-Project-Id header the session adds (the no-auth identity).
"""
import hashlib
import os
import sys

import openstack
from openstack import exceptions

URL, WORK = sys.argv[1], sys.argv[2]


def connect(project=None):
    conn = openstack.connect(auth_type='none', auth={'endpoint': URL}, image_api_version='2')
    if project:
        conn.session.additional_headers = {'X-Project-Id': project, 'X-User-Id': 'u-' + project,
                                           'X-Roles': 'member,reader'}
    return conn


def step(name):
    print('step:', name, flush=True)


def md5(path):
    with open(path, 'rb') as f:
        return hashlib.md5(f.read()).hexdigest()


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def main():
    owner, friend = connect('p-sdk-owner'), connect('p-sdk-friend')
    source = os.path.join(WORK, 'sdk.raw')
    with open(source, 'wb') as f:
        f.write(os.urandom(3 * 1024 * 1024 + 17))

    step('create_image with a file (upload)')
    plain = owner.create_image('sdk-plain', filename=source, disk_format='raw', container_format='bare',
                               visibility='shared', wait=True)
    check(plain.status == 'active' and plain.checksum == md5(source), plain)
    check(plain.properties.get('owner_specified.openstack.object') == 'images/sdk-plain', plain.properties)

    step('create_image with use_import (stage, then glance-direct)')
    imported = owner.create_image('sdk-imported', filename=source, disk_format='raw', container_format='bare',
                                  use_import=True, wait=True)
    # the SDK returns once the import is accepted; the import itself runs in the background
    imported = owner.wait_for_image(imported, timeout=60)
    check(imported.status == 'active' and imported.checksum == md5(source), imported)

    step('find_image by name and by id')
    check(owner.image.find_image('sdk-plain').id == plain.id, 'by name')
    check(owner.image.find_image(plain.id).name == 'sdk-plain', 'by id')
    check(owner.get_image('sdk-imported').id == imported.id, 'get_image by name')

    step('download_image whole and streamed')
    whole = os.path.join(WORK, 'whole.out')
    owner.download_image(plain.id, output_file=whole)
    check(md5(whole) == md5(source), 'whole download')
    response = owner.image.download_image(plain, stream=True)
    digest = hashlib.md5()
    for chunk in response.iter_content(chunk_size=65536):
        digest.update(chunk)
    check(digest.hexdigest() == md5(source), 'streamed download')
    check(response.headers.get('Content-MD5') == md5(source), response.headers)

    step('update_image')
    owner.image.update_image(plain, name='sdk-renamed', min_ram=256, os_distro='debian')
    shown = owner.image.get_image(plain.id)
    check(shown.name == 'sdk-renamed' and shown.min_ram == 256 and shown.os_distro == 'debian', shown)

    step('tags')
    owner.image.add_tag(plain, 'sdk-tag')
    check('sdk-tag' in owner.image.get_image(plain.id).tags, 'tag added')
    owner.image.remove_tag(plain, 'sdk-tag')
    check('sdk-tag' not in owner.image.get_image(plain.id).tags, 'tag removed')

    step('members: add, list, accept as the member, remove')
    member = owner.image.add_member(plain, member_id='p-sdk-friend')
    check(member.status == 'pending', member)
    check([m.member_id for m in owner.image.members(plain)] == ['p-sdk-friend'], 'members listed')
    friend.image.update_member(member, plain, status='accepted')
    check(owner.image.get_member(member, plain).status == 'accepted', 'accepted by the member')
    check(plain.id in [i.id for i in friend.image.images()], 'the member lists the accepted image')
    owner.image.remove_member(member, plain)
    check(list(owner.image.members(plain)) == [], 'member removed')

    step('deactivate and reactivate')
    owner.image.deactivate_image(plain)
    check(owner.image.get_image(plain.id).status == 'deactivated', 'deactivated')
    owner.image.reactivate_image(plain)
    check(owner.image.get_image(plain.id).status == 'active', 'reactivated')

    step('stores, and the import methods the SDK reads from a new image')
    stores = [s.id for s in owner.image.stores()]
    check(len(stores) >= 1, stores)
    probe = owner.image.create_image(name='sdk-probe', disk_format='raw', container_format='bare')
    check('glance-direct' in probe.image_import_methods, probe.image_import_methods)
    owner.image.delete_image(probe)

    step('tasks (as admin)')
    admin = connect()
    tasks = list(admin.image.tasks())   # the list shows Glance's stubs; each task in full by its id
    check(len(tasks) >= 1 and all(t.type == 'api_image_import' for t in tasks), tasks)
    task = admin.image.get_task(tasks[0].id)
    check(task.status == 'success' and task.result.get('image_id') == imported.id, task)
    check(task.input['import_req']['method']['name'] == 'glance-direct', task.input)

    step('metadata definitions through the SDK\'s image service (0.101 has no metadef resources yet)')
    ns = {'namespace': 'Sdk::Probe', 'display_name': 'SDK probe', 'visibility': 'public',
          'resource_type_associations': [{'name': 'OS::Glance::Image', 'prefix': 'sdk_'}],
          'properties': {'speed': {'title': 'Speed', 'type': 'string', 'enum': ['slow', 'fast']}}}
    made = admin.image.post('/metadefs/namespaces', json=ns, raise_exc=False)
    check(made.status_code == 201, made.text)
    listed = owner.image.get('/metadefs/namespaces?resource_types=OS::Glance::Image', raise_exc=False).json()
    check('Sdk::Probe' in [n['namespace'] for n in listed['namespaces']], listed)
    shown = owner.image.get('/metadefs/namespaces/Sdk::Probe?resource_type=OS::Glance::Image', raise_exc=False).json()
    check(list(shown['properties']) == ['sdk_speed'], shown)
    refused = owner.image.delete('/metadefs/namespaces/Sdk::Probe', raise_exc=False)
    check(refused.status_code == 403, refused.status_code)
    check(admin.image.delete('/metadefs/namespaces/Sdk::Probe', raise_exc=False).status_code == 204, 'deleted')

    step('errors the SDK raises from the node answers')
    try:
        owner.image.get_image('00000000-0000-4000-8000-000000000000')
        check(False, 'a missing image was found')
    except exceptions.ResourceNotFound as e:
        check('No image found' in str(e), e)
    try:
        owner.image.update_image(plain, os_glance_x='1')
        check(False, 'a reserved property was set')
    except exceptions.HttpException as e:
        check(e.status_code == 403, e)

    step('delete_image')
    owner.delete_image(plain.id, wait=True)
    owner.delete_image(imported.id, wait=True)
    check(owner.get_image(plain.id) is None and owner.get_image(imported.id) is None, 'deleted')
    print('sdk: every step passed')


try:
    main()
except Exception as e:  # the step printed last is the one that failed
    print('sdk: FAILED: %s: %s' % (type(e).__name__, e))
    sys.exit(1)
