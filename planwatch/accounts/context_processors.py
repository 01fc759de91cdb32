from planwatch.accounts.access import can_manage_catalog, reads_everything, role_of


def role(request):
    user = request.user
    return {
        "user_role": role_of(user),
        "reads_everything": reads_everything(user),
        "can_manage_catalog": can_manage_catalog(user),
    }
